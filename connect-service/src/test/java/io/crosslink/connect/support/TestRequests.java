package io.crosslink.connect.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Request bodies for the tests. */
public final class TestRequests {

    private TestRequests() {
    }

    /** A valid request from the stand-in's local (ece) to its remote (ess), search on demo-*. */
    public static ObjectNode valid(String alias) {
        return between(alias, ElasticStandIn.LOCAL, ElasticStandIn.REMOTE);
    }

    public static ObjectNode between(String alias, String localDeploymentId, String remoteDeploymentId) {
        return (ObjectNode) json("""
                {"alias":"%s","securityModel":"api_key",
                 "local":{"environment":"ece","deploymentId":"%s"},
                 "remote":{"environment":"ess","deploymentId":"%s"},
                 "access":{"search":[{"names":["demo-*"]}]}}
                """.formatted(alias, localDeploymentId, remoteDeploymentId));
    }

    /** A certificate-model request from the stand-in's local (ece) to its remote (ess), with no optional field. */
    public static ObjectNode certificate(String alias) {
        return certificate(alias, ElasticStandIn.LOCAL, "ess", ElasticStandIn.REMOTE);
    }

    /** A certificate-model request from the stand-in's local (ece) to a remote of the named environment. */
    public static ObjectNode certificate(String alias, String localDeploymentId, String remoteEnvironment,
            String remoteDeploymentId) {
        return (ObjectNode) json("""
                {"alias":"%s","securityModel":"tls_certificate",
                 "local":{"environment":"ece","deploymentId":"%s"},
                 "remote":{"environment":"%s","deploymentId":"%s"}}
                """.formatted(alias, localDeploymentId, remoteEnvironment, remoteDeploymentId));
    }

    public static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A unique alias (valid pattern). */
    public static String alias(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }
}
