package io.crosslink.e2e.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Connection requests of the scenarios, in the public JSON shape (REST body; plus requestId on Kafka). */
public final class Requests {
    private Requests() {
    }

    /** "Connect local to remote as {@code alias}, with search access to demo-*": the README's request. */
    public static ObjectNode demo(String alias) {
        ObjectNode request = EventCodec.mapper().createObjectNode();
        request.put("alias", alias);
        request.put("securityModel", "api_key");
        request.putObject("local").put("environment", "ece").put("deploymentId", E2eStack.LOCAL_ID);
        request.putObject("remote").put("environment", "ess").put("deploymentId", E2eStack.REMOTE_ID);
        request.putObject("access").putArray("search").addObject().putArray("names").add("demo-*");
        return request;
    }

    /** The README's request between any two demo deployments: {@code local} searches {@code remote}'s demo-*. */
    public static ObjectNode apiKey(String alias, io.crosslink.deploy.SimDeployment local, io.crosslink.deploy.SimDeployment remote) {
        ObjectNode request = demo(alias);
        request.putObject("local").put("environment", local.environment()).put("deploymentId", local.id());
        request.putObject("remote").put("environment", remote.environment()).put("deploymentId", remote.id());
        return request;
    }

    /** A certificate-model request between any two demo deployments, with the defaults (see {@link #certificate}). */
    public static ObjectNode certificate(String alias, io.crosslink.deploy.SimDeployment local,
            io.crosslink.deploy.SimDeployment remote) {
        ObjectNode request = certificate(alias, remote.environment(), remote.id());
        request.putObject("local").put("environment", local.environment()).put("deploymentId", local.id());
        return request;
    }

    /** The README's request with peer (another ECE deployment) as the local deployment. */
    public static ObjectNode demoFromPeer(String alias) {
        ObjectNode request = demo(alias);
        request.putObject("local").put("environment", "ece").put("deploymentId", E2eStack.PEER_ID);
        return request;
    }

    /** "Connect peer to remote" in the TLS-certificate model: trust changes on peer and on remote. */
    public static ObjectNode certificateFromPeerToRemote(String alias) {
        ObjectNode request = certificateToRemote(alias);
        request.putObject("local").put("environment", "ece").put("deploymentId", E2eStack.PEER_ID);
        return request;
    }

    /** "Connect local to remote (the Elastic Cloud organization) as {@code alias}" in the TLS-certificate model. */
    public static ObjectNode certificateToRemote(String alias) {
        return certificate(alias, "ess", E2eStack.REMOTE_ID);
    }

    /**
     * "Connect local to peer (same ECE installation) as {@code alias}" in the TLS-certificate model, registered through
     * ECE's remote-clusters API.
     */
    public static ObjectNode certificateToPeerViaEce(String alias) {
        ObjectNode request = certificate(alias, "ece", E2eStack.PEER_ID);
        request.put("registration", "ece_remote_clusters");
        return request;
    }

    /** A certificate-model request with the defaults: trust only the peer's cluster, no access, no roles. */
    private static ObjectNode certificate(String alias, String remoteEnvironment, String remoteId) {
        ObjectNode request = EventCodec.mapper().createObjectNode();
        request.put("alias", alias);
        request.put("securityModel", "tls_certificate");
        request.putObject("local").put("environment", "ece").put("deploymentId", E2eStack.LOCAL_ID);
        request.putObject("remote").put("environment", remoteEnvironment).put("deploymentId", remoteId);
        return request;
    }

    /**
     * A {@code connection-requests} record as a requester publishes it: {@code value} with the requester's bearer token
     * in the {@code authorization} header (connect-service takes the request as the token's team).
     */
    public static ProducerRecord<String, String> authorized(String key, String value, String token) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CONNECTION_REQUESTS, key, value);
        record.headers().add("authorization", ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The same request as a {@code connection-requests} record value. */
    public static ObjectNode submitted(String requestId, String alias) {
        ObjectNode record = EventCodec.mapper().createObjectNode();
        record.put("requestId", requestId);
        record.setAll(demo(alias));
        return record;
    }
}
