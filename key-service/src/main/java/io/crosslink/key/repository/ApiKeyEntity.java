package io.crosslink.key.repository;

import io.crosslink.events.SealedSecret;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.KeyState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code api_key}: one key per connection (ACTIVE, or INVALIDATED by compensation). The encoded value is
 * stored only sealed (AES-GCM).
 */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    @Column(name = "key_id", nullable = false, length = 64)
    public String keyId;

    @Column(name = "key_name", nullable = false, length = 200)
    public String keyName;

    @Column(name = "remote_deployment_id", nullable = false, length = 64)
    public String remoteDeploymentId;

    /** Which data key sealed the value (SealedSecret.keyId). */
    @Column(name = "sealed_data_key_id", nullable = false, length = 32)
    public String sealedDataKeyId;

    @Column(name = "sealed_nonce", nullable = false, length = 64)
    public String sealedNonce;

    @Column(name = "sealed_ciphertext", nullable = false, columnDefinition = "text")
    public String sealedCiphertext;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public KeyState state;

    static ApiKeyEntity of(IssuedKey key) {
        ApiKeyEntity row = new ApiKeyEntity();
        row.connectionId = key.connectionId();
        row.update(key);
        return row;
    }

    void update(IssuedKey key) {
        keyId = key.keyId();
        keyName = key.keyName();
        remoteDeploymentId = key.remoteDeploymentId();
        sealedDataKeyId = key.encodedKey().keyId();
        sealedNonce = key.encodedKey().nonce();
        sealedCiphertext = key.encodedKey().ciphertext();
        createdAt = key.createdAt();
        state = key.state();
    }

    IssuedKey toIssuedKey() {
        return new IssuedKey(connectionId, keyId, keyName, remoteDeploymentId,
                new SealedSecret(sealedDataKeyId, sealedNonce, sealedCiphertext), createdAt, state);
    }
}
