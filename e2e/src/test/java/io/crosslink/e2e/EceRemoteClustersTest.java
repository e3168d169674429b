package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Ten certificate-model connections from local to peer (one ECE installation) submitted at once, registered through
 * ECE's remote-clusters API, which replaces the whole list on every PUT (last writer wins): connect-service must
 * read, add and write under its own lock per local deployment, so all ten aliases end up registered, an entry it did
 * not write (with upper-case letters, which ECE accepts) survives, and disconnecting all ten at once leaves exactly
 * that entry, and both deployments' trust as it was.
 */
@Order(18)
class EceRemoteClustersTest extends ReliabilityScenario {
    private static final int CONNECTIONS = 10;
    private static final String PRE_EXISTING = "Pre_Existing";
    /**
     * The alias searched through after registration. connect-service takes lowercase aliases only (its validator: the
     * alias names the API-key model's keystore setting), so upper-case letters are covered by {@link #PRE_EXISTING},
     * an entry someone else wrote, which every read-modify-write must keep.
     */
    private static final String SEARCHED_ALIAS = "e2e-ece-searched";

    @Test
    void tenConcurrentConnectionsAllSurviveTheWholeListReplacementAndDisconnectToTheFormerList() throws Exception {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS - 1; i++) {
            aliases.add("e2e-ece-" + i);
        }
        aliases.add(SEARCHED_ALIAS);
        JsonNode localTrustBefore = elastic.trust(E2eStack.LOCAL_ID);
        JsonNode peerTrustBefore = elastic.trust(E2eStack.PEER_ID);
        JsonNode listBefore = elastic.remoteClusters(E2eStack.LOCAL_ID);
        ArrayNode withPreExisting = listWithout(listBefore, PRE_EXISTING);
        withPreExisting.addObject().put("deployment_id", E2eStack.PEER_ID).put("elasticsearch_ref_id", "main-elasticsearch")
                .put("alias", PRE_EXISTING).put("skip_unavailable", true);
        elastic.putRemoteClusters(E2eStack.LOCAL_ID, withPreExisting);
        Map<String, String> ids = new ConcurrentHashMap<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        try {
            long begin = System.nanoTime();
            allAtOnce(aliases, alias -> {
                Http.Response accepted = connect.create(Requests.certificateToPeerViaEce(alias).toString());
                if (accepted.status() == 202) {
                    ids.put(alias, accepted.json().path("id").asText());
                } else {
                    refused.add(accepted.toString());
                }
            });
            assertEquals(List.of(), refused, "every request is accepted");
            for (String alias : aliases) {
                JsonNode verified = connect.awaitStatus(ids.get(alias), ConnectionStatus.VERIFIED);
                SagaChecks.certificateTimelineHasEveryStepInOrder(verified);
                SagaChecks.printTimings("POST of " + alias + " (" + ids.get(alias) + ", one of ten at once)", verified,
                        since(begin));
            }
            System.out.printf("ten certificate-model connections through ECE's remote-clusters API VERIFIED in %.1f s%n",
                    seconds(begin));

            TreeSet<String> expected = new TreeSet<>(aliases);
            expected.add(PRE_EXISTING);
            JsonNode listed = elastic.remoteClusters(E2eStack.LOCAL_ID);
            assertEquals(expected, aliasesOf(listed), "every alias registered, the pre-existing one kept: " + listed);
            for (JsonNode entry : listed) {
                assertEquals(E2eStack.PEER_ID, entry.path("deployment_id").asText(), entry.toString());
            }
            Map<String, String> settings = elastic.persistentRemoteSettings(E2eStack.LOCAL_ID);
            for (String alias : aliases) {
                assertEquals(E2eStack.PEER_ADDRESS + ":9300", settings.get("cluster.remote." + alias + ".proxy_address"),
                        "ECE wrote the settings of " + alias + ": " + settings);
            }
            SagaChecks.crossClusterSearchReturnsDocumentsOf(elastic, SEARCHED_ALIAS, "peer");

            begin = System.nanoTime();
            allAtOnce(aliases, alias -> {
                Http.Response deleted = connect.delete(ids.get(alias));
                assertEquals(202, deleted.status(), deleted.toString());
            });
            for (String alias : aliases) {
                JsonNode disconnected = connect.awaitStatus(ids.get(alias), ConnectionStatus.DISCONNECTED);
                SagaChecks.certificateUndoRan(disconnected, "disconnect", events.of(ids.get(alias)));
            }
            System.out.printf("ten certificate-model connections DISCONNECTED in %.1f s%n", seconds(begin));

            JsonNode remaining = elastic.remoteClusters(E2eStack.LOCAL_ID);
            TreeSet<String> preExistingOnly = aliasesOf(listBefore);
            preExistingOnly.add(PRE_EXISTING);
            assertEquals(preExistingOnly, aliasesOf(remaining), "only the pre-existing entry remains: " + remaining);
            Map<String, String> after = elastic.persistentRemoteSettings(E2eStack.LOCAL_ID);
            assertTrue(aliases.stream().noneMatch(alias -> after.keySet().stream()
                    .anyMatch(setting -> setting.startsWith("cluster.remote." + alias + "."))), "no alias left: " + after);
            assertEquals(localTrustBefore, elastic.trust(E2eStack.LOCAL_ID), "local's trust after the disconnects");
            assertEquals(peerTrustBefore, elastic.trust(E2eStack.PEER_ID), "peer's trust after the disconnects");
        } finally {
            ids.values().forEach(this::disconnectIfStillThere);
            elastic.putRemoteClusters(E2eStack.LOCAL_ID, listWithout(elastic.remoteClusters(E2eStack.LOCAL_ID), PRE_EXISTING));
        }
    }

    /** Runs {@code action} for every alias at the same moment, one thread each; a failure of any is rethrown. */
    private static void allAtOnce(List<String> aliases, Consumer<String> action) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(aliases.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String alias : aliases) {
                futures.add(threads.submit((Callable<Void>) () -> {
                    start.await();
                    action.accept(alias);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static TreeSet<String> aliasesOf(JsonNode resources) {
        TreeSet<String> aliases = new TreeSet<>();
        resources.forEach(entry -> aliases.add(entry.path("alias").asText()));
        return aliases;
    }

    /** The list as PUT takes it (without the read-only {@code info}), less one alias. */
    private static ArrayNode listWithout(JsonNode resources, String alias) {
        ArrayNode kept = EventCodec.mapper().createArrayNode();
        for (JsonNode entry : resources) {
            if (!entry.path("alias").asText().equals(alias)) {
                kept.addObject().put("deployment_id", entry.path("deployment_id").asText())
                        .put("elasticsearch_ref_id", entry.path("elasticsearch_ref_id").asText())
                        .put("alias", entry.path("alias").asText())
                        .put("skip_unavailable", entry.path("skip_unavailable").asBoolean());
            }
        }
        return kept;
    }
}
