package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.Registration;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustRequest;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.trust.client.CloudTrustClient;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.elastic.CloudApi;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.crosslink.trust.FakeCloudApi;
import io.crosslink.trust.support.TestCloudTargets;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.crosslink.trust.domain.Certificates;
import io.crosslink.trust.domain.DeploymentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The certificate-model step and its undo against a running cloud-sim (its demo deployments {@code local}, ECE, and
 * {@code remote}, Elastic Cloud, with their development API keys), through the real {@link CloudTrustClient}; rows,
 * inbox, outbox and work queue in memory, the work items run on the test's thread (parks waited out in real time). Opt-in, as it needs the simulator and its Elasticsearch nodes:
 * {@code ./mvnw -pl trust-service test -Dtest=CloudSimTrustTest -Dcrosslink.cloud-sim.url=http://localhost:8090}.
 * What it proves: the update request is the one the simulator accepts, each side ends with exactly one new
 * {@code direct} entry naming the peer's cluster and CA, and after the undo both trust settings equal what they were.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "trust"))
@QuarkusTestResource(FakeCloudApi.class)
@EnabledIfSystemProperty(named = "crosslink.cloud-sim.url", matches = ".+")
class CloudSimTrustTest {
    static final DeploymentInfo LOCAL = new DeploymentInfo("ece", "c0ffee00a1b2c3d4e5f60718293a4b5c",
            "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4", "127.0.10.1", "8.19.21", "ECE",
            "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87", 9300);
    static final DeploymentInfo REMOTE = new DeploymentInfo("ess", "0b5e55ed12345678abcdef0123456789",
            "main-elasticsearch", "abcdef01234567890b5e55ed12345678", "127.0.10.2", "8.19.21", "ESS", "4285051796",
            9400);

    final String url = System.getProperty("crosslink.cloud-sim.url");
    final CloudTrustClient client = new CloudTrustClient(new TestCloudTargets(url, "ece", "ece-dev-api-key", "ess",
            "ess-dev-api-key"), io.quarkus.arc.Arc.container().instance(CloudApi.class).get());
    final TrustFakes.Links links = new TrustFakes.Links();
    final Fakes.RecordingInbox inbox = new Fakes.RecordingInbox();
    final Fakes.RecordingOutbox outbox = new Fakes.RecordingOutbox();
    final TrustStepSettings settings = new TrustStepSettings(Duration.ofSeconds(60), Duration.ofMillis(500), 4,
            Clock.systemUTC());
    final CloudApiRetry retry = new CloudApiRetry(6, Duration.ofMillis(500), Duration.ofSeconds(4));
    final Fakes.Queue queue = new Fakes.Queue();
    final TrustLedger ledger = new TrustLedger(links, inbox, outbox, queue);
    final TrustWriter writer = new TrustWriter(client, ledger, new DeploymentLocks(), settings);
    final PlanWaiter plans = new PlanWaiter(client);
    final CertificateTrustService step = new CertificateTrustService(ledger, client, writer, plans, settings, retry);
    final CertificateUndoService undo = new CertificateUndoService(ledger, writer, plans, settings,
            new UndoRetry(retry, new UndoBudget(UndoBudget.DEFAULT_REPORT_MARGIN, Clock.systemUTC())));
    /** Runs the work items on the test's thread, waiting out each park in real time. */
    final Fakes.Worker worker = new Fakes.Worker(queue, null, step, undo);
    final String connection = UUID.randomUUID().toString();

    @Test
    void eceLocalAndEssRemote_trustEachOtherThroughOneDirectEntryEach_andTheUndoRestoresBoth() {
        JsonNode localBefore = trust(LOCAL);
        JsonNode remoteBefore = trust(REMOTE);

        step.handle(requested());
        worker.runAll();

        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, outbox.published.get(0));
        assertEquals(2, updated.edits().size());
        assertTrue(updated.edits().stream().allMatch(edit -> edit.created() && edit.entry().equals("direct")));
        assertOneNewDirectEntry(localBefore, LOCAL, REMOTE);
        assertOneNewDirectEntry(remoteBefore, REMOTE, LOCAL);
        assertFalse(read(LOCAL).planPending());

        undo.compensationStarted(new CompensationStarted(UUID.randomUUID().toString(), connection, Instant.now(),
                CompensationCause.FAILURE, new StepFailure("search_failed", "test", null, false)));
        undo.removeTrust(new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(), "sim-trust",
                false));
        worker.runAll();

        assertTrue(assertInstanceOf(TrustRemoved.class, outbox.published.get(1)).removed());
        assertEquals(localBefore, trust(LOCAL), "L's trust as before the saga");
        assertEquals(remoteBefore, trust(REMOTE), "R's trust as before the saga");
    }

    private void assertOneNewDirectEntry(JsonNode before, DeploymentInfo self, DeploymentInfo peer) {
        JsonNode after = trust(self);
        assertEquals(before.path("accounts"), after.path("accounts"));
        assertEquals(before.path("direct").size() + 1, after.path("direct").size());
        for (int i = 0; i < before.path("direct").size(); i++) {
            assertEquals(before.path("direct").get(i), after.path("direct").get(i));
        }
        JsonNode entry = after.path("direct").get(after.path("direct").size() - 1);
        assertEquals(peer.kind(), entry.path("type").asText());
        assertEquals(peer.accountId(), entry.path("scope_id").asText());
        assertEquals(peer.clusterId(), entry.path("trust_allowlist").get(0).asText());
        String peerCa = client.readCertificateAuthority(resource(peer)).pems().get(0);
        assertEquals(Certificates.fingerprint(peerCa), Certificates.fingerprintOf(entry.path("certificates").get(0)));
        assertTrue(entry.path("uid").isTextual(), "the simulator gave it a uid");
    }

    private ConnectionRequested requested() {
        ConnectionRequest request = ConnectionRequest.tlsCertificate("sim-trust",
                new DeploymentRef(LOCAL.environment(), LOCAL.deploymentId(), null),
                new DeploymentRef(REMOTE.environment(), REMOTE.deploymentId(), null), true, new TrustRequest(false),
                Registration.CLUSTER_SETTINGS);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, Instant.now(), request, LOCAL,
                REMOTE);
    }

    private JsonNode trust(DeploymentInfo deployment) {
        return read(deployment).trust().orElseThrow();
    }

    private DeploymentState read(DeploymentInfo deployment) {
        return client.readDeployment(resource(deployment));
    }

    private static DeploymentResource resource(DeploymentInfo deployment) {
        return new DeploymentResource(deployment.environment(), deployment.deploymentId(), deployment.refId());
    }

}
