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
