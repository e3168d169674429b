package io.crosslink.trust.repository;

import io.crosslink.trust.domain.UnreadRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class UnreadRequestRepository implements PanacheRepositoryBase<UnreadRequest, String>, UnreadRequests {

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public UnreadRequest lockOrCreate(String connectionId) {
        // As KeystoreEntryRepository: insert-if-missing first, so two first events meet on the same row lock.
        Instant now = Instant.now();
        getEntityManager().createNativeQuery("insert into unread_request (connection_id, created_at, updated_at)"
                        + " values (:id, :now, :now) on conflict (connection_id) do nothing")
                .setParameter("id", connectionId)
                .setParameter("now", now)
                .executeUpdate();
        return findById(connectionId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UnreadRequest> find(String connectionId) {
        return findByIdOptional(connectionId);
    }
}
