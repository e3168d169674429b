package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What trust-service changed in one deployment's trust settings ({@code settings.trust}) so that it trusts the
 * peer, exactly, so that the undo removes that and nothing else: the entry ({@code accounts} with
 * {@code account_id} = {@code scopeId}, or {@code direct} with {@code scope_id} = {@code scopeId}) was created, or
 * an existing one got {@code addedClusterIds} appended to its allow-list, {@code addedCertificates} to its
 * certificates and/or its {@code trust_all} set.
 * Certificates are public but bulky: they are not carried.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TrustEdit(
        /** The deployment whose trust settings changed. */
        @JsonProperty(required = true) String deploymentId,
        /** The deployment it now trusts. */
        @JsonProperty(required = true) String peerDeploymentId,
        /** {@code accounts} or {@code direct}. */
        @JsonProperty(required = true) String entry,
        @JsonProperty(required = true) String scopeId,
        /** The whole entry is the saga's: the undo deletes it. */
        @JsonProperty(required = true) boolean created,
        /** {@code trust_all} was false and the saga set it (undo: false again). */
        @JsonProperty(required = true) boolean trustAllSet,
        /** Cluster ids the saga appended to an existing entry's allow-list (undo: removes them). */
        List<String> addedClusterIds,
        /**
         * SHA-256 fingerprints (lowercase hex of the DER) of CA certificates the saga appended to an existing
         * {@code direct} entry's {@code certificates} (undo: removes them).
         */
        List<String> addedCertificates) {

    public static final String ACCOUNTS = "accounts";
    public static final String DIRECT = "direct";

    /** Nothing was changed: the deployment already trusted the peer. */
    public boolean noop() {
        return !created && !trustAllSet && (addedClusterIds == null || addedClusterIds.isEmpty())
                && (addedCertificates == null || addedCertificates.isEmpty());
    }
}
