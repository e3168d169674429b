package io.crosslink.trust.repository;

import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class KeystoreEntryRepository implements PanacheRepositoryBase<KeystoreEntry, String>, KeystoreEntries {

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public KeystoreEntry lockOrCreate(String connectionId) {
        // Insert-if-missing first, so two first events of one connection meet on the same row lock instead of
        // one of them failing on the primary key. The lock is taken on the latest committed row: a transaction that
        // waited for it sees what the holder wrote (a tombstone, a recorded write).
        Instant now = Instant.now();
        getEntityManager().createNativeQuery("insert into keystore_entry"
                        + " (connection_id, status, may_have_written, created_at, updated_at)"
                        + " values (:id, :status, false, :now, :now) on conflict (connection_id) do nothing")
                .setParameter("id", connectionId)
                .setParameter("status", EntryStatus.WAITING.name())
                .setParameter("now", now)
                .executeUpdate();
        return findById(connectionId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<KeystoreEntry> find(String connectionId) {
        return findByIdOptional(connectionId);
    }
}
