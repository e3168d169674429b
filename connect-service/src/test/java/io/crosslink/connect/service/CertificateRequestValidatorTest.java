package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.certificate;
import static io.crosslink.connect.support.TestRequests.json;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.domain.Fingerprint;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Registration;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.TrustRequest;
import io.crosslink.events.Violation;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The certificate model's fields, and each field of one model refused in the other. */
class CertificateRequestValidatorTest {

    @Test
    void aMinimalCertificateRequestCarriesBothDefaultsOnceValidated() {
        RequestValidator.Result result = RequestValidator.validate(certificate("cert"));

        assertTrue(result.valid(), result.violations().toString());
        ConnectionRequest request = result.request();
        assertEquals(SecurityModel.TLS_CERTIFICATE, request.securityModel());
        assertEquals(new TrustRequest(false), request.trust());
        assertEquals(Registration.CLUSTER_SETTINGS, request.registration());
        assertEquals(Boolean.TRUE, request.skipUnavailable());
        assertNull(request.access());
        assertNull(request.roles());
        JsonNode stored = EventCodec.mapper().valueToTree(request);
        assertEquals(json("{\"all\":false}"), stored.get("trust"));
        assertEquals("cluster_settings", stored.get("registration").asText());
    }

    @Test
    void explicitTrustAndRegistrationAreKept() {
        ObjectNode body = certificate("cert");
        body.set("trust", json("{\"all\":true}"));
        body.put("registration", "ece_remote_clusters");
        body.put("skipUnavailable", false);

        ConnectionRequest request = RequestValidator.validate(body).request();

        assertTrue(request.trustAll());
        assertEquals(Registration.ECE_REMOTE_CLUSTERS, request.registration());
        assertEquals(Boolean.FALSE, request.skipUnavailable());
    }

    @Test
    void defaultsMakeTheSameFingerprintAsExplicitValues() {
        ObjectNode explicit = certificate("cert");
        explicit.set("trust", json("{\"all\":false}"));
        explicit.put("registration", "cluster_settings");
        explicit.put("skipUnavailable", true);

        assertEquals(Fingerprint.of(RequestValidator.validate(certificate("cert")).request()),
                Fingerprint.of(RequestValidator.validate(explicit).request()));
    }

    @Test
    void accessIsRefusedInTheCertificateModel() {
        assertOnly(cert(b -> b.set("access", json("{\"search\":[{\"names\":[\"demo-*\"]}]}"))), "access",
                "R's own roles decide");
    }

    @Test
    void rolesAreRefusedInTheCertificateModel() {
        assertOnly(cert(b -> b.set("roles", json("[{\"name\":\"r\",\"indices\":[{\"names\":[\"a\"],\"privileges\":[\"read\"]}]}]"))),
                "roles", "roles with remote_indices belong to the api_key model");
    }

    @Test
    void evenEmptyRolesAreRefusedInTheCertificateModel() {
        assertOnly(cert(b -> b.set("roles", json("[]"))), "roles", "api_key model");
    }

    @Test
    void explicitNullsCountAsAbsent() {
        RequestValidator.Result result = RequestValidator.validate(cert(b -> {
            b.putNull("access");
            b.putNull("roles");
            b.putNull("trust");
            b.putNull("registration");
        }));

        assertTrue(result.valid(), result.violations().toString());
        assertEquals(Registration.CLUSTER_SETTINGS, result.request().registration());
    }

    @Test
    void trustIsRefusedInTheApiKeyModel() {
        assertOnly(apiKey(b -> b.set("trust", json("{\"all\":true}"))), "trust", "tls_certificate model");
    }

    @Test
    void registrationIsRefusedInTheApiKeyModel() {
        assertOnly(apiKey(b -> b.put("registration", "cluster_settings")), "registration", "tls_certificate");
    }

    @Test
    void accessStaysRequiredInTheApiKeyModel() {
        assertOnly(apiKey(b -> b.remove("access")), "access", "is required");
    }

    @Test
    void anUnknownRegistrationIsNamed() {
        assertOnly(cert(b -> b.put("registration", "ECE_REMOTE_CLUSTERS")), "registration",
                "cluster_settings or ece_remote_clusters");
        assertOnly(cert(b -> b.put("registration", 1)), "registration", "cluster_settings or ece_remote_clusters");
    }

    @Test
    void trustMustBeAnObjectWithABooleanAllOnly() {
        assertOnly(cert(b -> b.put("trust", true)), "trust", "must be an object");
        assertOnly(cert(b -> b.set("trust", json("{\"all\":\"yes\"}"))), "trust.all", "true or false");
        assertOnly(cert(b -> b.set("trust", json("{\"all\":true,\"allowlist\":[\"x\"]}"))), "trust.allowlist",
                "unknown field");
    }

    @Test
    void anEmptyTrustObjectMeansOnlyThePeersCluster() {
        ConnectionRequest request = RequestValidator.validate(cert(b -> b.set("trust", json("{}")))).request();

        assertEquals(new TrustRequest(false), request.trust());
    }

    @Test
    void everyViolationOfACertificateRequestIsReported() {
        JsonNode body = json("""
                {"alias":"ok","securityModel":"tls_certificate","local":{"environment":"ece","deploymentId":"l"},
                 "remote":{"environment":"ess","deploymentId":"r"},"access":{"search":[{"names":["a"]}]},
                 "roles":[],"trust":{"all":1},"registration":"nope"}
                """);

        assertEquals(List.of("access", "roles", "trust.all", "registration"),
                RequestValidator.validate(body).violations().stream().map(Violation::field).toList());
    }

    @Test
    void partialRequestKeepsTrustAndRegistration() {
        ConnectionRequest partial = RequestValidator.partial(json("""
                {"alias":"Bad.Alias","securityModel":"tls_certificate","trust":{"all":true},
                 "registration":"ece_remote_clusters"}
                """));

        assertEquals(SecurityModel.TLS_CERTIFICATE, partial.securityModel());
        assertTrue(partial.trustAll());
        assertEquals(Registration.ECE_REMOTE_CLUSTERS, partial.registration());
    }

    private static JsonNode cert(Consumer<ObjectNode> change) {
        ObjectNode body = certificate("good");
        change.accept(body);
        return body;
    }

    private static JsonNode apiKey(Consumer<ObjectNode> change) {
        ObjectNode body = valid("good");
        change.accept(body);
        return body;
    }

    private static void assertOnly(JsonNode body, String field, String reasonPart) {
        RequestValidator.Result result = RequestValidator.validate(body);
        assertFalse(result.valid(), "expected a violation of " + field);
        assertEquals(1, result.violations().size(), result.violations().toString());
        Violation violation = result.violations().get(0);
        assertEquals(field, violation.field());
        assertTrue(violation.reason().contains(reasonPart), violation.reason());
    }
}
