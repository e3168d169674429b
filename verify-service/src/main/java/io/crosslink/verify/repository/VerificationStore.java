package io.crosslink.verify.repository;

import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.VerificationJob;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** verify-service's own state: the requests it has seen and the verification jobs. Called inside transactions. */
public interface VerificationStore {

    Optional<RequestedConnection> connection(String connectionId);

    void add(RequestedConnection connection);

    Optional<VerificationJob> job(String connectionId);

    void add(VerificationJob job);

    /**
     * Up to {@code limit} jobs whose next attempt is due and that no other worker holds, locked for the caller's
     * transaction (rows another instance is claiming right now are skipped, not waited for).
     */
    List<VerificationJob> lockDue(Instant now, int limit);
}
