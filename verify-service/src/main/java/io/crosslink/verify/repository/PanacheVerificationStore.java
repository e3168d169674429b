package io.crosslink.verify.repository;

import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.VerificationJob;
import io.crosslink.verify.domain.VerificationState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PanacheVerificationStore implements VerificationStore {

    @Override
    public Optional<RequestedConnection> connection(String connectionId) {
        return RequestedConnection.findByIdOptional(connectionId);
    }

    @Override
    public void add(RequestedConnection connection) {
        connection.persist();
    }

    @Override
    public Optional<VerificationJob> job(String connectionId) {
        return VerificationJob.findByIdOptional(connectionId);
    }

    @Override
    public void add(VerificationJob job) {
        job.persist();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<VerificationJob> lockDue(Instant now, int limit) {
        // SKIP LOCKED: several instances share the table without running the same attempt twice.
        return VerificationJob.getEntityManager()
                .createNativeQuery("select * from verification_job where state = :pending and next_attempt_at <= :now"
                        + " and (lease_until is null or lease_until <= :now) order by next_attempt_at limit :limit"
                        + " for update skip locked", VerificationJob.class)
                .setParameter("pending", VerificationState.PENDING.name())
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
    }
}
