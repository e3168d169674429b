package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strong identity (9.3+): what a request may ask, which deployments qualify, and what L's settings become. */
class StrongIdentityRequestTest {

    @Test
    void anApiKeyRequestMayAskForStrongIdentityAndFalseMeansWithout() {
        ObjectNode asked = valid("signed");
        asked.put("certificateIdentity", true);
        RequestValidator.Result result = RequestValidator.validate(asked);
        assertTrue(result.valid(), result.violations().toString());
        assertTrue(result.request().strongIdentity());

        ObjectNode declined = valid("plain");
        declined.put("certificateIdentity", false);
        ConnectionRequest plain = RequestValidator.validate(declined).request();
        assertFalse(plain.strongIdentity());
        assertNull(plain.certificateIdentity(), "false is stored as absent, like a request that never named it");
    }

    @Test
    void certificateIdentityMustBeABooleanAndBelongsToTheApiKeyModel() {
        ObjectNode text = valid("signed");
        text.put("certificateIdentity", "yes");
        Violation notBoolean = RequestValidator.validate(text).violations().get(0);
        assertEquals("certificateIdentity", notBoolean.field());

        ObjectNode certificates = (ObjectNode) json("""
                {"alias":"tls","securityModel":"tls_certificate","local":{"environment":"ece","deploymentId":"l"},
                 "remote":{"environment":"ece","deploymentId":"p"},"certificateIdentity":true}""");
        List<Violation> violations = RequestValidator.validate(certificates).violations();
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("certificateIdentity", violations.get(0).field());
        assertTrue(violations.get(0).reason().contains("api_key"), violations.get(0).reason());
    }

    @Test
    void bothDeploymentsNeedElasticsearch93OrLater() {
        ConnectionRequest request = RequestValidator.validate(withIdentity()).request();

        assertEquals(List.of(), DeploymentFacts.registrationViolations(request, info("l", "9.3.0"), info("r", "9.5.4")));
        Violation oldLocal = DeploymentFacts.registrationViolations(request, info("l", "8.19.21"), info("r", "9.5.4"))
                .get(0);
        assertEquals("certificateIdentity", oldLocal.field());
        assertTrue(oldLocal.reason().contains("local runs 8.19.21 and remote runs 9.5.4"), oldLocal.reason());
        assertEquals(1, DeploymentFacts.registrationViolations(request, info("l", "9.5.4"), info("r", "9.2.9")).size());
        assertEquals(List.of(), DeploymentFacts.registrationViolations(RequestValidator.validate(valid("plain")).request(),
                info("l", "8.19.21"), info("r", "8.15.5")), "without strong identity any API-key version will do");
    }

    @Test
    void lSignsWithTheConfiguredFilesAndTheRemovalNullsThemOnlyWhenUsed() {
        RemoteSettings signed = RemoteSettings.of("eu", "r.example", 9443, true).signedWith("node.crt", "node.key");
        assertEquals(json("""
                {"persistent":{"cluster":{"remote":{"eu":{"mode":"proxy","proxy_address":"r.example:9443",
                  "server_name":"r.example","skip_unavailable":true,
                  "signing":{"certificate":"node.crt","key":"node.key"}}}}}}"""), json(signed.body()));
        assertEquals(json("""
                {"persistent":{"cluster":{"remote":{"eu":{"mode":null,"proxy_address":null,"server_name":null,
                  "skip_unavailable":null,"proxy_socket_connections":null,"seeds":null,"node_connections":null,
                  "signing":{"certificate":null,"key":null}}}}}}"""), json(RemoteSettings.removalBody("eu", true)));
        assertFalse(RemoteSettings.removalBody("eu").contains("signing"), "8.x refuses settings it does not know");
    }

    @Test
    void signingSettingsLeftAloneStillCountAsTheRemoteBeingThere() {
        assertTrue(RemoteSettings.registered(json("""
                {"persistent":{"cluster":{"remote":{"eu":{"signing":{"key":"node.key"}}}}},"transient":{}}"""), "eu"));
        assertTrue(RemoteSettings.registered(json("""
                {"persistent":{"cluster.remote.eu.signing.certificate":"node.crt"},"transient":{}}"""), "eu"));
    }

    private static ObjectNode withIdentity() {
        ObjectNode body = valid("signed");
        body.put("certificateIdentity", true);
        return body;
    }

    private static DeploymentInfo info(String id, String version) {
        return new DeploymentInfo("ece", id, "main-elasticsearch", "c-" + id, id + ".example", version);
    }
}
