package io.crosslink.cloudsim.domain;

import java.util.Objects;

/**
 * The name a node signs cross-cluster requests with (Elasticsearch 9.3+ strong identity for API-key remotes), in
 * Elastic Cloud Hosted's node-certificate format: {@code CN=<node name>.node.<cluster id>.cluster.<scope id>}.
 * A remote checks it against the API key's {@code certificate_identity}, e.g.
 * {@code CN=[^,]+\.node\.<cluster id>\.cluster\.[^,]+}.
 *
 * @param nodeName the node's Elasticsearch node name
 * @param clusterId the Elasticsearch resource's cluster id ({@code info.cluster_id}); another one for an impostor
 * @param scopeId the environment's account id (ECE installation / Elastic Cloud organization)
 */
public record SigningIdentity(String nodeName, String clusterId, String scopeId) {
    public SigningIdentity {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(scopeId, "scopeId");
    }

    /** {@code <node name>.node.<cluster id>.cluster.<scope id>} */
    public String commonName() {
        return nodeName + ".node." + clusterId + ".cluster." + scopeId;
    }

    /** The subject DN in RFC 2253 form, as {@code X500Principal.getName()} prints it. */
    public String subject() {
        return "CN=" + commonName();
    }
}
