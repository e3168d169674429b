package io.crosslink.trust.domain;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.SealedSecret;
import io.crosslink.events.StepFailure;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The keystore entry of one connection on L: where it goes (from ConnectionRequested), the key (from
 * KeyCreated, still sealed: the encoded key is never stored in plaintext) and what was written. The two events
 * come on different topics in either order; the entry is written to L's keystore once both are here, and again
 * whenever a KeyCreated brings another key. What was written stays here so compensation can remove it.
 *
 * <p>Compensation leaves a tombstone ({@link #compensatingSince}): from then on the keystore is never written for
 * this connection, whatever arrives late. The undo removes the entry whenever this service wrote it or may have
 * ({@link #mayHoldEntry()}).
 *
 * <p>The Cloud API calls run as work items off the consumer threads, without holding this row's lock: the write marks
 * itself in flight ({@link #writingKeyId}) in a transaction of its own before its PATCH and records the outcome in
 * another; one work item of a connection runs at a time, so the undo's removal never overlaps a write.
 */
@Entity
@Table(name = "keystore_entry")
public class KeystoreEntry extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public EntryStatus status;

    // --- from ConnectionRequested: L's Elasticsearch resource and the setting name

    @Column(length = 200)
    public String alias;

    @Column(length = 100)
    public String environment;

    @Column(name = "deployment_id", length = 100)
    public String deploymentId;

    @Column(name = "ref_id", length = 200)
    public String refId;

    @Column(name = "setting_name", length = 300)
    public String settingName;

    // --- from KeyCreated: the cross-cluster API key on R, sealed for this connection

    /** The API key's id on R; a different id means the key was replaced. */
    @Column(name = "key_id", length = 200)
    public String keyId;

    @Column(name = "key_name", length = 300)
    public String keyName;

    @Column(name = "key_created_at")
    public Instant keyCreatedAt;

    @Column(name = "sealed_data_key_id", length = 64)
    public String sealedDataKeyId;

    @Column(name = "sealed_nonce", length = 64)
    public String sealedNonce;

    @Column(name = "sealed_ciphertext", columnDefinition = "text")
    public String sealedCiphertext;

    // --- outcome

    /**
     * The key id whose encoded key this service last wrote to L's keystore; null when none. Kept after the undo
     * (see {@link #undoStatus}), so a repeated undo removes the entry again.
     */
    @Column(name = "keystore_key_id", length = 200)
    public String keystoreKeyId;

    /** The key id whose write failed for good (or was stopped by the tombstone); it is not tried again. */
    @Column(name = "failed_key_id", length = 200)
    public String failedKeyId;

    /**
     * Sticky: a write of this service reached, or may have reached, L's keystore (it succeeded, or failed in a way
     * that may still have applied: timeouts, dropped connections, 5xx). False on a new row; null on rows older
     * than the column.
     */
    @Column(name = "may_have_written")
    public Boolean mayHaveWritten;

    /**
     * The key whose keystore PATCH was sent and whose outcome is not recorded yet: set (committed) just before the
     * call, cleared with its outcome. Still set after a crash in between: the entry may exist.
     */
    @Column(name = "writing_key_id", length = 200)
    public String writingKeyId;

    @Column(name = "failure_type", length = 200)
    public String failureType;

    /** Redacted, as in the KeystoreUpdateFailed event. */
    @Column(name = "failure_reason", length = 1100)
    public String failureReason;

    // --- undo (compensation, issue #4)

    /** The tombstone: when this service learned that the connection is being compensated; null before. */
    @Column(name = "compensating_since")
    public Instant compensatingSince;

    @Enumerated(EnumType.STRING)
    @Column(name = "undo_status", length = 20)
    public UndoStatus undoStatus;

    @Column(name = "removed_at")
    public Instant removedAt;

    @Column(name = "removal_failure_type", length = 200)
    public String removalFailureType;

    /**
     * The undo trigger (the event id of a RemoteRemoved or RemoteRemovalFailed) whose outcome was announced last: a
     * removal run again after its commit (a crash before its work item was marked done) does not announce twice.
     */
    @Column(name = "undo_reported_for", length = 64)
    public String undoReportedFor;

    /** Redacted, as in the KeystoreEntryRemovalFailed event. */
    @Column(name = "removal_failure_reason", length = 1100)
    public String removalFailureReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean hasRequest() {
        return settingName != null;
    }

    public boolean hasKey() {
        return keyId != null;
    }

    public void takeRequest(ConnectionRequested requested) {
        alias = requested.request().alias();
        settingName = ConnectionRequest.credentialsSetting(alias);
        environment = requested.local().environment();
        deploymentId = requested.local().deploymentId();
        refId = requested.local().refId();
        touch();
    }

    /**
     * Takes the key of a KeyCreated unless the entry already holds a key created later (a late duplicate of a
     * replaced key must not undo the replacement). Returns whether the key was taken.
     */
    public boolean takeKey(KeyCreated created) {
        if (keyCreatedAt != null && created.occurredAt().isBefore(keyCreatedAt)) {
            return false;
        }
        keyId = created.keyId();
        keyName = created.keyName();
        keyCreatedAt = created.occurredAt();
        sealedDataKeyId = created.encodedKey().keyId();
        sealedNonce = created.encodedKey().nonce();
        sealedCiphertext = created.encodedKey().ciphertext();
        touch();
        return true;
    }

    public SealedSecret sealedKey() {
        return new SealedSecret(sealedDataKeyId, sealedNonce, sealedCiphertext);
    }

    /** Both halves are here, the current key has been neither written nor given up on, and no tombstone. */
    public boolean updateDue() {
        return !compensating() && keyPending();
    }

    private boolean keyPending() {
        return hasRequest() && hasKey() && !keyId.equals(keystoreKeyId) && !keyId.equals(failedKeyId);
    }

    /** The PATCH of the current key is about to be sent (recorded before it, so a crash leaves it in doubt). */
    public void startWrite() {
        writingKeyId = keyId;
        touch();
    }

    public void markUpdated(String writtenKeyId) {
        keystoreKeyId = writtenKeyId;
        mayHaveWritten = true;
        writingKeyId = null;
        failedKeyId = null;
        failureType = null;
        failureReason = null;
        touch();
    }

    /** The write failed; a transient failure (timeout, dropped connection, 5xx) may still have applied. */
    public void markFailed(String failedKey, StepFailure failure) {
        failedKeyId = failedKey;
        writingKeyId = null;
        failureType = failure.type();
        failureReason = failure.reason();
        mayHaveWritten = Boolean.TRUE.equals(mayHaveWritten) || failure.retryable();
        touch();
    }

    /**
     * The write failed in a way that may pass (timeout, dropped connection, 5xx) and will be tried again: it may
     * have applied all the same. The key stays due (UPDATING).
     */
    public void markWriteInDoubt() {
        mayHaveWritten = true;
        writingKeyId = null;
        touch();
    }

    // --- undo

    /** Compensation has begun: the keystore is never written for this connection again. */
    public boolean compensating() {
        return compensatingSince != null;
    }

    /** Records the tombstone (the first time; a repeated compensation keeps the first date). */
    public void startCompensation(Instant at) {
        if (compensatingSince == null) {
            compensatingSince = at;
        }
        touch();
    }

    /**
     * The tombstone came between storing the current key and writing it: the write is given up on before it
     * starts, so nothing of it reached the keystore. Nothing is emitted: the undo chain reports for this step.
     */
    public void abandonPendingKey() {
        if (writingKeyId != null) {
            // An earlier run sent its PATCH and stopped before recording the outcome: it may have applied.
            mayHaveWritten = true;
            writingKeyId = null;
        }
        if (keyPending()) {
            failedKeyId = keyId;
            failureType = "compensation_started";
            failureReason = "not written: the connection's compensation began first";
            touch();
        }
    }

    /**
     * Whether L's keystore holds, or may hold, an entry this service wrote: a key was written, a write failed in a
     * way that may have applied, or a write is due and may have happened (UPDATING: the service may have stopped
     * between the PATCH and its commit). A write needs both halves; a permanent refusal changed nothing. When in
     * doubt: yes, removing a missing entry is harmless.
     */
    public boolean mayHoldEntry() {
        if (!hasRequest()) {
            return false;
        }
        boolean legacyFailure = mayHaveWritten == null && failedKeyId != null; // row older than may_have_written
        return keystoreKeyId != null || Boolean.TRUE.equals(mayHaveWritten) || legacyFailure || keyPending();
    }

    public void markRemoving() {
        undoStatus = UndoStatus.REMOVING;
        touch();
    }

    /** The entry is gone (removed now, or there was none); {@code trigger}: the undo trigger this answers. */
    public void markRemoved(String trigger) {
        undoStatus = UndoStatus.REMOVED;
        undoReportedFor = trigger;
        removedAt = Instant.now();
        removalFailureType = null;
        removalFailureReason = null;
        touch();
    }

    public void markRemovalFailed(StepFailure failure, String trigger) {
        undoStatus = UndoStatus.REMOVAL_FAILED;
        undoReportedFor = trigger;
        removalFailureType = failure.type();
        removalFailureReason = failure.reason();
        touch();
    }

    /** Whether the undo's outcome for {@code trigger} was announced already. */
    public boolean undoReported(String trigger) {
        return trigger.equals(undoReportedFor);
    }

    /** The undo finished (removed, or failed): a write recorded late is not announced after it. */
    public boolean undoFinished() {
        return undoStatus == UndoStatus.REMOVED || undoStatus == UndoStatus.REMOVAL_FAILED;
    }

    private void touch() {
        updatedAt = Instant.now();
        if (createdAt == null) {
            createdAt = updatedAt;
        }
        status = !hasRequest() || !hasKey() ? EntryStatus.WAITING
                : keyId.equals(keystoreKeyId) ? EntryStatus.UPDATED
                : keyId.equals(failedKeyId) ? EntryStatus.FAILED
                : EntryStatus.UPDATING;
    }
}
