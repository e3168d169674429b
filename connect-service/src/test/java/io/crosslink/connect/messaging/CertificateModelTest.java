package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.Connections.events;
import static io.crosslink.connect.support.Connections.requested;
import static io.crosslink.connect.support.SagaEvents.newId;
import static io.crosslink.connect.support.SagaEvents.verified;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.certificate;
import static io.crosslink.connect.support.TestRequests.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.StandIn;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Registration;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Topics;
import io.crosslink.events.TrustEdit;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The certificate model through the service, on a real broker and database, with the stand-in playing ECE and
 * Elastic Cloud: the trust facts read at acceptance, the registration after TrustUpdated in each registration mode
 * (L's cluster settings on R's transport port; ECE's remote-clusters list, whose other entries survive), the undo
 * chain without a key (RemoteRemoved → TrustRemoved), the trust_entry leftovers, and the refusals.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class CertificateModelTest {
    private static final String PROBLEM = "application/problem+json";
    private static final List<TrustEdit> EDITS = List.of(
            new TrustEdit(ElasticStandIn.LOCAL, ElasticStandIn.REMOTE, TrustEdit.DIRECT, ElasticStandIn.ESS_ORG, true,
                    false, null, null),
            new TrustEdit(ElasticStandIn.REMOTE, ElasticStandIn.LOCAL, TrustEdit.DIRECT, ElasticStandIn.ECE_ACCOUNT,
                    true, false, null, null));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaTestClient kafka;

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @Test
    void clusterSettingsRegistrationUsesTheTransportPortAndTheUndoChainHasNoKey() {
        String alias = alias("cert-settings");
        String id = requested(certificate(alias));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL);

        ConnectionRequested requested = kafka.awaitEvent(id, ConnectionRequested.class);
        assertEquals(new DeploymentInfo("ece", ElasticStandIn.LOCAL, "main-elasticsearch",
                "e5f60718293a4b5cc0ffee00a1b2c3d4", "127.0.20.1", "8.19.21", "ECE", ElasticStandIn.ECE_ACCOUNT, 9300),
                requested.local());
        assertEquals(new DeploymentInfo("ess", ElasticStandIn.REMOTE, "main-elasticsearch",
                ElasticStandIn.REMOTE_CLUSTER_ID, ElasticStandIn.REMOTE_ENDPOINT, "8.19.21", "ESS", ElasticStandIn.ESS_ORG,
                9400), requested.remote());
        assertEquals(Registration.CLUSTER_SETTINGS, requested.request().registration());
        given().get("/api/v1/connections/{id}", id).then()
                .body("request.securityModel", equalTo("tls_certificate"))
                .body("request.trust.all", equalTo(false))
                .body("request.registration", equalTo("cluster_settings"))
                .body("request.access", nullValue());

        kafka.publish(Topics.TRUST_EVENTS, new TrustUpdated(newId(), id, Instant.now(), EDITS));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

        JsonNode remote = local.remote(alias);
        assertEquals("proxy", remote.path("mode").asText());
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT + ":9400", remote.path("proxy_address").asText());
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT, remote.path("server_name").asText());
        RemoteConnected connected = kafka.awaitEvent(id, RemoteConnected.class);
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT + ":9400", connected.proxyAddress());
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT, connected.serverName());
        assertEquals(null, connected.roles());

        kafka.publish(Topics.VERIFY_EVENTS, verified(id, alias));
        awaitStatus(id, "VERIFIED", "verify");
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202).body("status", equalTo("DISCONNECTING"));
        assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed());
        assertTrue(local.remote(alias).isMissingNode() || local.remote(alias).isEmpty(), local.remote(alias).toString());
        given().get("/api/v1/connections/{id}", id).then().body("status", equalTo("DISCONNECTING"));

        kafka.publish(Topics.TRUST_EVENTS, new TrustRemoved(newId(), id, Instant.now(), EDITS, true));
        awaitStatus(id, "DISCONNECTED", "remove_trust");
        assertEquals(List.of("ConnectionRequested", "TrustUpdated", "RemoteConnected", "ConnectionVerified",
                "CompensationStarted", "RemoteRemoved", "TrustRemoved"), events(id));
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline.step", equalTo(List.of("validate", "update_trust", "register_remote", "verify",
                        "compensate", "remove_remote", "remove_trust")))
                .body("leftovers", nullValue());
    }

    @Test
    void eceRemoteClustersRegistrationKeepsEveryOtherEntryAndTheUndoTakesOnlyItsOwn() {
        String alias = alias("cert-ece");
        StandIn local = StandIn.of(ElasticStandIn.LOCAL);
        String foreign = "{\"deployment_id\":\"" + ElasticStandIn.PEER + "\",\"elasticsearch_ref_id\":\"main-elasticsearch\","
                + "\"alias\":\"Team_B-Upper\",\"skip_unavailable\":false}";
        JsonNode seeded = withEntry(local.eceRemoteClusters(), json(foreign));
        local.seedEceRemoteClusters(seeded.toString());
        ObjectNode body = certificate(alias, ElasticStandIn.LOCAL, "ece", ElasticStandIn.PEER);
        body.put("registration", "ece_remote_clusters");
        body.put("skipUnavailable", false);
        String id = requested(body);

        kafka.publish(Topics.TRUST_EVENTS, new TrustUpdated(newId(), id, Instant.now(), List.of()));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

        JsonNode list = local.eceRemoteClusters();
        assertEquals(withEntry(seeded, json("{\"deployment_id\":\"" + ElasticStandIn.PEER
                + "\",\"elasticsearch_ref_id\":\"main-elasticsearch\",\"alias\":\"" + alias
                + "\",\"skip_unavailable\":false}")), list, "every entry as it was, ours added");
        JsonNode remote = local.remote(alias);
        assertEquals(ElasticStandIn.PEER_ENDPOINT + ":9300", remote.path("proxy_address").asText(), "written by ECE");
        RemoteConnected connected = kafka.awaitEvent(id, RemoteConnected.class);
        assertEquals(ElasticStandIn.PEER_ENDPOINT + ":9300", connected.proxyAddress());
        assertEquals(ElasticStandIn.PEER_ENDPOINT, connected.serverName());
        assertEquals(false, connected.skipUnavailable());

        given().delete("/api/v1/connections/{id}", id).then().statusCode(202).body("status", equalTo("COMPENSATING"));
        assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed());
        assertEquals(seeded, local.eceRemoteClusters(), "only our entry is gone");
        assertTrue(local.remote(alias).isMissingNode() || local.remote(alias).isEmpty(), local.remote(alias).toString());
        kafka.publish(Topics.TRUST_EVENTS, new TrustRemoved(newId(), id, Instant.now(), List.of(), false));
        awaitStatus(id, "COMPENSATED", "remove_trust");
    }

    @Test
    void tenConnectionsFromOneLocalDeploymentThroughEceAllStayListed() {
        StandIn local = StandIn.of(ElasticStandIn.LOCAL);
        List<String> aliases = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String alias = alias("cert-ten-" + i);
            ObjectNode body = certificate(alias, ElasticStandIn.LOCAL, "ece", ElasticStandIn.PEER);
            body.put("registration", "ece_remote_clusters");
            aliases.add(alias);
            ids.add(given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/connections").then()
                    .statusCode(202).extract().path("id"));
        }
        ids.forEach(id -> awaitStatus(id, "REQUESTED", "validate"));
        ids.forEach(id -> kafka.publish(Topics.TRUST_EVENTS, new TrustUpdated(newId(), id, Instant.now(), List.of())));

        ids.forEach(id -> awaitStatus(id, "REMOTE_CONNECTED", "register_remote"));
        Set<String> listed = new HashSet<>();
        local.eceRemoteClusters().path("resources").forEach(entry -> listed.add(entry.path("alias").asText()));
        assertTrue(listed.containsAll(aliases), "all ten listed: " + listed);
        aliases.forEach(alias -> assertEquals(ElasticStandIn.PEER_ENDPOINT + ":9300",
                local.remote(alias).path("proxy_address").asText(), alias));
    }

    @Test
    void aTrustRemovalFailureEndsFailedWithTheTrustEntriesItLeft() {
        String alias = alias("cert-left");
        String id = requested(certificate(alias));
        kafka.publish(Topics.TRUST_EVENTS, new TrustUpdated(newId(), id, Instant.now(), EDITS));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

        StepFailure handshake = new StepFailure("connect_transport_exception", "certificate_unknown", null, false);
        kafka.publish(Topics.VERIFY_EVENTS, new VerificationFailed(newId(), id, Instant.now(), handshake));
        awaitStatus(id, "COMPENSATING", "remove_remote");
        assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed());
        kafka.publish(Topics.TRUST_EVENTS, new TrustRemovalFailed(newId(), id, Instant.now(),
                new StepFailure("deployments.deployment_version_conflict", "changed meanwhile", 409, true)));

        awaitStatus(id, "FAILED", "remove_trust");
        ConnectionDocument document = EventCodec.read(given().get("/api/v1/connections/{id}", id).asString(),
                ConnectionDocument.class);
        assertEquals(ConnectionStatus.FAILED, document.status());
        String reason = "deployments.deployment_version_conflict: changed meanwhile";
        assertEquals(List.of(
                new ConnectionDocument.Leftover(ElasticStandIn.LOCAL, "trust_entry", "direct:" + ElasticStandIn.ESS_ORG, reason,
                        Certainty.POSSIBLE),
                new ConnectionDocument.Leftover(ElasticStandIn.REMOTE, "trust_entry", "direct:" + ElasticStandIn.ECE_ACCOUNT,
                        reason, Certainty.POSSIBLE)), document.leftovers());
    }

    @Test
    void eceRemoteClustersAcrossEnvironmentsIsRejectedNamingTheRegistration() {
        ObjectNode body = certificate(alias("cert-cross"));
        body.put("registration", "ece_remote_clusters");
        String id = given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/connections").then()
                .statusCode(202).extract().path("id");

        awaitStatus(id, "REJECTED", "validate");
        given().get("/api/v1/connections/{id}", id).then()
                .body("reasons[0].field", equalTo("registration"))
                .body("reasons[0].reason", containsString("same ECE installation"));
    }

    @Test
    void accessAndRolesAreRefusedWith400InTheCertificateModel() {
        ObjectNode body = certificate(alias("cert-400"));
        body.set("access", json("{\"search\":[{\"names\":[\"demo-*\"]}]}"));
        body.set("roles", json("[{\"name\":\"r\",\"indices\":[{\"names\":[\"demo-*\"],\"privileges\":[\"read\"]}]}]"));

        given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/connections").then()
                .statusCode(400).contentType(PROBLEM)
                .body("violations.field", equalTo(List.of("access", "roles")))
                .body("violations[0].reason", containsString("R's own roles decide"))
                .body("violations[1].reason", containsString("roles with remote_indices belong to the api_key model"));
        ObjectNode apiKey = io.crosslink.connect.support.TestRequests.valid(alias("key-400"));
        apiKey.set("trust", json("{\"all\":true}"));
        given().contentType(ContentType.JSON).body(apiKey.toString()).post("/api/v1/connections").then()
                .statusCode(400).contentType(PROBLEM)
                .body("violations.field", equalTo(List.of("trust")));
    }

    @Test
    void aCertificateRequestWithAccessOnTheTopicBecomesRejected() {
        String requestId = "req-" + alias("cert-topic");
        ObjectNode body = certificate(alias("cert-topic"));
        body.set("access", json("{\"search\":[{\"names\":[\"demo-*\"]}]}"));
        body.put("requestId", requestId);
        kafka.request(requestId, body.toString());

        ConnectionDocument document = EventCodec.read(kafka.await(Topics.CONNECTION_STATUS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\"")).value(), ConnectionDocument.class);

        assertEquals(ConnectionStatus.REJECTED, document.status());
        assertEquals("access", document.reasons().get(0).field());
    }

    private static JsonNode withEntry(JsonNode list, JsonNode entry) {
        ObjectNode copy = list.deepCopy();
        copy.withArray("resources").add(entry);
        return copy;
    }
}
