package io.crosslink.e2e;

import static io.crosslink.e2e.support.Faults.fault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Faults;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The version matrix (#16): the API-key happy path, the certificate-model happy path and one compensation path on
 * every pair of Elasticsearch versions the stack's demo deployments run. The pairs are local → remote, peer → remote
 * and local → peer (remote and peer hold the seed index), one per distinct (local version, remote version): a stack
 * with local and remote on 9.x and peer on 8.19 runs 9.x → 9.x, 8.19 → 9.x and 9.x → 8.19. The versions are the
 * ones the nodes report, read through cloud-sim from {@code _nodes/_local}.
 *
 * <p>Tagged {@code matrix}: the default suite (every deployment on the default version) leaves it to the
 * {@code version-matrix-smoke} execution, whose stack runs other versions; {@code deploy/matrix/run.sh} runs it on every
 * stack of the matrix. Each scenario appends one row (versions, scenario, result, seconds) to
 * {@code target/version-matrix/results.tsv}, from which the script prints its table.
 */
@Tag("matrix")
@Order(95)
class VersionMatrixTest extends ReliabilityScenario {
    static final Path RESULTS = Path.of("target", "version-matrix", "results.tsv");

    /** A local and a remote deployment of the stack, with the versions their nodes report. */
    record Pair(SimDeployment local, SimDeployment remote) {
        String label() {
            return local.version() + " → " + remote.version() + " (" + local.name() + " → " + remote.name() + ")";
        }

        /** For aliases: "lr" for local → remote. */
        String tag() {
            return "" + local.name().charAt(0) + remote.name().charAt(0);
        }
    }

    @TestFactory
    Stream<DynamicNode> everyVersionPair() {
        return pairs().stream().map(pair -> DynamicContainer.dynamicContainer(pair.label(), Stream.of(
                scenario(pair, "api_key happy path", () -> apiKeyHappyPath(pair)),
                scenario(pair, "tls_certificate happy path", () -> certificateHappyPath(pair)),
                scenario(pair, "compensation: remote registration refused", () -> registrationRefusedIsCompensated(pair)))));
    }

    /** One pair per distinct (local version, remote version), in the order local → remote, peer → remote, local → peer. */
    List<Pair> pairs() {
        SimDeployment local = stack.deployment(E2eStack.LOCAL_ID);
        SimDeployment remote = stack.deployment(E2eStack.REMOTE_ID);
        SimDeployment peer = stack.deployment(E2eStack.PEER_ID);
        Map<String, Pair> byVersions = new LinkedHashMap<>();
        for (Pair pair : List.of(new Pair(local, remote), new Pair(peer, remote), new Pair(local, peer))) {
            byVersions.putIfAbsent(pair.local().version() + " " + pair.remote().version(), pair);
        }
        return new ArrayList<>(byVersions.values());
    }

    private DynamicTest scenario(Pair pair, String name, Executable body) {
        return DynamicTest.dynamicTest(name, () -> {
            faults.clear();
            try {
                recorded(pair.local(), pair.remote(), name, body);
            } finally {
                faults.clear();
            }
        });
    }

    /** Runs the scenario and appends its row, PASS or FAIL, to the table (StrongIdentityTest's scenarios too). */
    static void recorded(SimDeployment local, SimDeployment remote, String scenario, Executable body) throws Throwable {
        long begin = System.nanoTime();
        String result = "FAIL";
        try {
            body.execute();
            result = "PASS";
        } finally {
            record(new Pair(local, remote), scenario, result, seconds(begin));
        }
    }

    /** VERIFIED with the key's credentials over 9443, cross-cluster search works, DELETE leaves both sides as before. */
    private void apiKeyHappyPath(Pair pair) {
        String alias = "e2e-matrix-key-" + pair.tag();
        ElasticState before = ElasticState.capture(elastic, pair.local().id(), pair.remote().id());
        String id = connect.submit(Requests.apiKey(alias, pair.local(), pair.remote()).toString());
        try {
            verified(pair, id, "API-key model", SagaChecks::timelineHasEveryStepInOrder);
            SagaChecks.isConnectedWithCredentials(elastic, pair.local().id(), pair.remote().endpoint(), alias);
            SagaChecks.crossClusterSearchReturnsDocumentsOf(elastic, pair.local().id(), alias, pair.remote().name());
            JsonNode keys = elastic.activeApiKeys(pair.remote().id(), "crosslink-" + id);
            assertEquals(1, keys.size(), "the connection's key on " + pair.remote().name() + ": " + keys);
            assertEquals("cross_cluster", keys.get(0).path("type").asText(), keys.toString());

            assertEquals(202, connect.delete(id).status());
            connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
            SagaChecks.nothingLeftOnEitherSide(elastic, pair.local().id(), pair.remote().id(), id, alias);
            assertEquals(before, ElasticState.capture(elastic, pair.local().id(), pair.remote().id()), "after the disconnect");
        } finally {
            disconnectIfStillThere(id);
        }
    }

    /**
     * VERIFIED over the transport port (9300 on ECE, 9400 through Elastic Cloud's proxy) without credentials,
     * cross-cluster search works, DELETE restores both sides' trust.
     */
    private void certificateHappyPath(Pair pair) {
        String alias = "e2e-matrix-cert-" + pair.tag();
        JsonNode localTrust = elastic.trust(pair.local().id());
        JsonNode remoteTrust = elastic.trust(pair.remote().id());
        String id = connect.submit(Requests.certificate(alias, pair.local(), pair.remote()).toString());
        try {
            verified(pair, id, "certificate model", SagaChecks::certificateTimelineHasEveryStepInOrder);
            JsonNode info = elastic.remoteInfo(pair.local().id()).path(alias);
            assertTrue(info.path("connected").asBoolean(), "_remote/info of " + alias + ": " + info);
            int transport = "ESS".equals(pair.remote().environmentKind()) ? 9400 : 9300;
            assertEquals(pair.remote().endpoint() + ":" + transport, info.path("proxy_address").asText(), info.toString());
            assertFalse(info.has("cluster_credentials"), "no API key in the certificate model: " + info);
            SagaChecks.crossClusterSearchReturnsDocumentsOf(elastic, pair.local().id(), alias, pair.remote().name());
            // Deployments of one ECE installation trust each other already: then the saga has no trust to add.
            boolean trustAdded = !localTrust.equals(elastic.trust(pair.local().id()))
                    || !remoteTrust.equals(elastic.trust(pair.remote().id()));
            assertEquals(!pair.local().environment().equals(pair.remote().environment()), trustAdded,
                    "trust was added exactly when the two deployments are in different environments");

            assertEquals(202, connect.delete(id).status());
            JsonNode disconnected = connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
            List<ConnectionEvent> all = events.of(id);
            SagaChecks.certificateUndoRan(disconnected, "disconnect", all);
            assertTrue(SagaChecks.undoEvent(all, RemoteRemoved.class).removed(), "the remote was registered");
            assertEquals(trustAdded, SagaChecks.undoEvent(all, TrustRemoved.class).removed(), "the trust undo removed what was added");
            assertEquals(localTrust, elastic.trust(pair.local().id()), pair.local().name() + "'s trust after the disconnect");
            assertEquals(remoteTrust, elastic.trust(pair.remote().id()), pair.remote().name() + "'s trust after the disconnect");
            assertFalse(elastic.remoteInfo(pair.local().id()).has(alias), "the alias is gone from " + pair.local().name());
        } finally {
            disconnectIfStillThere(id);
        }
    }

    /**
     * L refuses the remote's registration once (a real 400 through cloud-sim's pass-through): the key on R and the
     * keystore entry on L are undone in reverse order, and both sides are exactly as before.
     */
    private void registrationRefusedIsCompensated(Pair pair) {
        String alias = "e2e-matrix-comp-" + pair.tag();
        ElasticState before = ElasticState.capture(elastic, pair.local().id(), pair.remote().id());
        String fault = faults.add(fault().deployment(pair.local().id()).target("elasticsearch").method("PUT")
                .path("/_cluster/settings").times(1)
                .status(400, Faults.elasticError("illegal_argument_exception", "e2e: remote registration refused", 400)));
        String id = connect.submit(Requests.apiKey(alias, pair.local(), pair.remote()).toString());
        try {
            JsonNode document = connect.awaitStatus(id, ConnectionStatus.COMPENSATED);
            assertEquals(1, faults.get(fault).path("hits").asInt(), "the registration never reached cloud-sim");
            List<ConnectionEvent> all = events.of(id);
            SagaChecks.undoRanInReverseOrder(document, "failure", all);
            SagaChecks.failedStep(document, "RemoteRegistrationFailed", "illegal_argument_exception", 400);
            assertTrue(SagaChecks.undoEvent(all, KeystoreEntryRemoved.class).removed(), "the keystore entry was written");
            SagaChecks.nothingLeftOnEitherSide(elastic, pair.local().id(), pair.remote().id(), id, alias);
            assertEquals(before, ElasticState.capture(elastic, pair.local().id(), pair.remote().id()), "after the compensation");
        } finally {
            disconnectIfStillThere(id);
        }
    }

    /** Awaits VERIFIED, checks the timeline's steps and prints what Elastic warned about on the way. */
    private void verified(Pair pair, String id, String model, Consumer<JsonNode> timelineCheck) {
        JsonNode verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        timelineCheck.accept(verified);
        System.out.printf("version matrix: %s %s, warnings in the timeline: %s%n", pair.label(), model, warnings(verified));
    }

    /** Every step's warnings (Elastic's Warning headers), in timeline order. */
    static List<String> warnings(JsonNode document) {
        List<String> warnings = new ArrayList<>();
        for (JsonNode entry : document.path("timeline")) {
            entry.path("warnings").forEach(warning -> warnings.add(entry.path("step").asText() + ": " + warning.asText()));
        }
        return warnings;
    }

    private static void record(Pair pair, String scenario, String result, double seconds) {
        String row = String.join("\t", pair.local().version(), pair.remote().version(),
                pair.local().name() + " → " + pair.remote().name(), scenario, result,
                String.format(Locale.ROOT, "%.1f", seconds)) + "\n";
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.writeString(RESULTS, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("version matrix: %s %s: %s in %.1f s%n", pair.label(), scenario, result, seconds);
    }
}
