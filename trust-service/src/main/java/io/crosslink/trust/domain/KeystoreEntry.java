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

    /** The key id whose encoded key L's keystore holds (written by this service); null when none. */
    @Column(name = "keystore_key_id", length = 200)
    public String keystoreKeyId;

    /** The key id whose write failed for good; it is not tried again. */
    @Column(name = "failed_key_id", length = 200)
    public String failedKeyId;

    @Column(name = "failure_type", length = 200)
    public String failureType;

    /** Redacted, as in the KeystoreUpdateFailed event. */
    @Column(name = "failure_reason", length = 1100)
    public String failureReason;

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

    /** Both halves are here and the current key has been neither written nor given up on. */
    public boolean updateDue() {
        return hasRequest() && hasKey() && !keyId.equals(keystoreKeyId) && !keyId.equals(failedKeyId);
    }

    public void markUpdated(String writtenKeyId) {
        keystoreKeyId = writtenKeyId;
        failedKeyId = null;
        failureType = null;
        failureReason = null;
        touch();
    }

    public void markFailed(String failedKey, StepFailure failure) {
        failedKeyId = failedKey;
        failureType = failure.type();
        failureReason = failure.reason();
        touch();
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
