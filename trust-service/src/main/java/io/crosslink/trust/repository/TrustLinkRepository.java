package io.crosslink.trust.repository;

import io.crosslink.events.TrustEdit;
import io.crosslink.trust.domain.TrustEditRecord;
import io.crosslink.trust.domain.TrustLink;
import io.crosslink.trust.domain.TrustStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TrustLinkRepository implements PanacheRepositoryBase<TrustLink, String>, TrustLinks {

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public TrustLink lockOrCreate(String connectionId) {
        // As KeystoreEntryRepository: insert-if-missing first, so two first events meet on the same row lock.
        Instant now = Instant.now();
        getEntityManager().createNativeQuery("insert into trust_link (connection_id, status, created_at, updated_at)"
                        + " values (:id, :status, :now, :now) on conflict (connection_id) do nothing")
                .setParameter("id", connectionId)
                .setParameter("status", TrustStatus.WAITING.name())
                .setParameter("now", now)
                .executeUpdate();
        return findById(connectionId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TrustLink> find(String connectionId) {
        return findByIdOptional(connectionId);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TrustEditRecord> edits(String connectionId) {
        return getEntityManager().createQuery("from TrustEditRecord where connectionId = :id",
                TrustEditRecord.class).setParameter("id", connectionId).getResultList();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public TrustEditRecord recordEdit(String connectionId, TrustEdit edit) {
        TrustEditRecord record = getEntityManager().find(TrustEditRecord.class,
                new TrustEditRecord.Key(connectionId, edit.deploymentId()));
        if (record == null) {
            record = TrustEditRecord.of(connectionId, edit);
            getEntityManager().persist(record);
        } else {
            record.take(edit);
        }
        return record;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<TrustEditRecord> edit(String connectionId, String deploymentId) {
        return Optional.ofNullable(getEntityManager().find(TrustEditRecord.class,
                new TrustEditRecord.Key(connectionId, deploymentId)));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TrustEditRecord> editsOn(String deploymentId) {
        return getEntityManager().createQuery("from TrustEditRecord where deploymentId = :id",
                TrustEditRecord.class).setParameter("id", deploymentId).getResultList();
    }
}
