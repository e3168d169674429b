package io.crosslink.verify.repository;

import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.Verification;
import java.util.Optional;

/** verify-service's own state: the requests it has seen and their verifications. Called inside transactions. */
public interface VerificationStore {

    Optional<RequestedConnection> connection(String connectionId);

    void add(RequestedConnection connection);

    Optional<Verification> verification(String connectionId);

    /**
     * The verification, locked for the caller's transaction: a consumer cancelling it and a handler concluding an
     * attempt take turns, the second seeing what the first committed.
     */
    Optional<Verification> lockVerification(String connectionId);

    void add(Verification verification);
}
