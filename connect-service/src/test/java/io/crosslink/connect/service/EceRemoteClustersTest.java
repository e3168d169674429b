package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.connect.domain.RemoteClusterList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ECE's remote-clusters list: read-modify-write that keeps every other entry, serialised per local deployment. */
class EceRemoteClustersTest {
    private static final String L = "local-1";
    private static final String R = "remote-1";
    /** Entries of others: one with an upper-case alias (ECE accepts it), one with a field Crosslink does not know. */
    private static final String FOREIGN = """
            {"resources":[
              {"deployment_id":"other","elasticsearch_ref_id":"main-elasticsearch","alias":"Upper_Case-Alias",
               "skip_unavailable":false,"info":{"healthy":true,"connected":false}},
              {"alias":"logs","deployment_id":"third","elasticsearch_ref_id":"es-2","future_field":{"x":[1,"two"]}}]}
            """;

    private final EceRemoteClusters ece = new EceRemoteClusters(null, new io.crosslink.connect.support.InJvmNamedLock());
    private ExecutorService threads;

    @AfterEach
    void stop() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    @Test
    void addingKeepsEveryForeignEntryAsReadWithoutItsInfo() {
        ListHolder holder = new ListHolder(FOREIGN, 0);

        EceRemoteClusters.Outcome outcome = ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "mine", true));

        assertTrue(outcome.ok() && outcome.changed(), String.valueOf(outcome));
        JsonNode written = holder.writes.get(0);
        JsonNode before = json(FOREIGN).path("resources");
        ObjectNode upper = ((ObjectNode) before.get(0)).deepCopy();
        upper.remove("info");
        assertEquals(upper, written.path("resources").get(0), "the upper-case alias stays, info dropped");
        assertEquals(before.get(1), written.path("resources").get(1), "unknown fields stay as they were");
        assertEquals("{\"alias\":\"logs\",\"deployment_id\":\"third\",\"elasticsearch_ref_id\":\"es-2\","
                + "\"future_field\":{\"x\":[1,\"two\"]}}", written.path("resources").get(1).toString(), "byte for byte");
        assertEquals(json("{\"deployment_id\":\"remote-1\",\"elasticsearch_ref_id\":\"main-elasticsearch\","
                + "\"alias\":\"mine\",\"skip_unavailable\":true}"), written.path("resources").get(2));
    }

    @Test
    void addingAgainWritesNothingAndRemovingTakesOnlyOurEntry() {
        ListHolder holder = new ListHolder(FOREIGN, 0);
        ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "mine", true));

        EceRemoteClusters.Outcome again = ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "mine", true));
        assertTrue(again.ok());
        assertFalse(again.changed(), "already listed: a retry writes nothing");
        assertEquals(1, holder.writes.size());

        EceRemoteClusters.Outcome removed = ece.remove(L, holder, "mine", R);
        assertTrue(removed.ok() && removed.changed());
        assertFalse(removed.aliasHeldByAnother());
        assertEquals(List.of("Upper_Case-Alias", "logs"), aliases(holder.current()));
        EceRemoteClusters.Outcome twice = ece.remove(L, holder, "mine", R);
        assertFalse(twice.changed(), "nothing left to remove");
        assertEquals(2, holder.writes.size());
    }

    @Test
    void anAliasOfAnotherDeploymentIsNeitherReplacedNorRemoved() {
        ListHolder holder = new ListHolder(FOREIGN, 0);

        EceRemoteClusters.Outcome taken = ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "logs", true));
        assertEquals("alias_in_use", taken.failure().type());
        assertTrue(taken.failure().reason().contains("deployment third"), taken.failure().reason());
        assertFalse(taken.failure().retryable());

        EceRemoteClusters.Outcome removal = ece.remove(L, holder, "logs", R);
        assertTrue(removal.ok());
        assertFalse(removal.changed());
        assertTrue(removal.aliasHeldByAnother(), "its cluster settings must stay too");
        assertTrue(holder.writes.isEmpty());
    }

    @Test
    void anAliasDiffersFromItsUpperCaseSpelling() {
        ListHolder holder = new ListHolder(FOREIGN, 0);

        assertTrue(ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "upper_case-alias", true)).ok());

        assertEquals(List.of("Upper_Case-Alias", "logs", "upper_case-alias"), aliases(holder.current()));
    }

    @Test
    void tenConcurrentAddsToOneLocalDeploymentAllSurvive() throws Exception {
        // A slow holder whose GET and PUT interleave freely: without the per-L lock, writes built on stale reads
        // would drop each other's entries.
        ListHolder holder = new ListHolder(FOREIGN, 20);
        threads = Executors.newFixedThreadPool(10);
        List<Callable<EceRemoteClusters.Outcome>> adds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String alias = "alias-" + i;
            adds.add(() -> ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", alias, true)));
        }

        for (Future<EceRemoteClusters.Outcome> outcome : threads.invokeAll(adds)) {
            assertTrue(outcome.get().ok(), String.valueOf(outcome.get()));
        }

        Set<String> listed = new HashSet<>(aliases(holder.current()));
        for (int i = 0; i < 10; i++) {
            assertTrue(listed.contains("alias-" + i), "alias-" + i + " lost: " + listed);
        }
        assertTrue(listed.containsAll(Set.of("Upper_Case-Alias", "logs")), listed.toString());
        assertEquals(12, holder.current().path("resources").size());
        assertEquals(1, holder.maxConcurrent.get(), "one read-modify-write of L at a time");
    }

    @Test
    void differentLocalDeploymentsDoNotWaitForEachOther() throws Exception {
        ListHolder first = new ListHolder("{\"resources\":[]}", 0);
        ListHolder second = new ListHolder("{\"resources\":[]}", 0);
        first.blockNextWrite();
        threads = Executors.newFixedThreadPool(2);

        Future<EceRemoteClusters.Outcome> blocked = threads.submit(
                () -> ece.add("l-a", first, RemoteClusterList.entry(R, "main-elasticsearch", "a", true)));
        first.awaitWriteStarted();
        EceRemoteClusters.Outcome other = threads.submit(
                () -> ece.add("l-b", second, RemoteClusterList.entry(R, "main-elasticsearch", "b", true))).get();
        first.release();

        assertTrue(other.ok());
        assertTrue(blocked.get().ok());
    }

    @Test
    void anEntryDroppedByAnotherWriterIsWrittenAgain() {
        ListHolder holder = new ListHolder(FOREIGN, 0);
        holder.loseNextWrites(1);

        EceRemoteClusters.Outcome outcome = ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "mine", true));

        assertTrue(outcome.ok());
        assertEquals(2, holder.writes.size(), "written, found missing on the re-read, written again");
        assertTrue(aliases(holder.current()).contains("mine"));
    }

    @Test
    void anEntryThatNeverSticksPostponesTheWork() {
        ListHolder holder = new ListHolder(FOREIGN, 0);
        holder.loseNextWrites(EceRemoteClusters.ROUNDS);

        TransientElasticCallException postponed = assertThrows(TransientElasticCallException.class,
                () -> ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "mine", true)));

        assertEquals("remote_cluster_not_listed", postponed.failure().type());
        assertTrue(postponed.failure().retryable());
    }

    @Test
    void aRefusedWriteFailsWithTheCloudError() {
        ListHolder holder = new ListHolder(FOREIGN, 0);
        holder.refuseWrites = new ElasticAnswer(404, "{\"errors\":[{\"code\":\"deployments.deployment_remote_resource_not_found\","
                + "\"message\":\"The remote deployment cannot be found\"}]}");

        EceRemoteClusters.Outcome outcome = ece.add(L, holder, RemoteClusterList.entry(R, "main-elasticsearch", "mine", true));

        assertEquals("deployments.deployment_remote_resource_not_found", outcome.failure().type());
        assertEquals(404, outcome.failure().httpStatus());
    }

    private static List<String> aliases(JsonNode list) {
        List<String> aliases = new ArrayList<>();
        list.path("resources").forEach(entry -> aliases.add(entry.path("alias").asText()));
        return aliases;
    }

    /**
     * A list as ECE keeps it: GET returns a copy with {@code info} on each entry, PUT replaces it whole (202 {}). Each
     * call may take {@code latencyMs}, and nothing here serialises a GET with the PUT that follows it.
     */
    private static final class ListHolder implements EceRemoteClusters.ListHolder {
        private volatile JsonNode list;
        private final long latencyMs;
        final List<JsonNode> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger maxConcurrent = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger lose = new AtomicInteger();
        volatile ElasticAnswer refuseWrites;
        private volatile java.util.concurrent.CountDownLatch writeStarted;
        private volatile java.util.concurrent.CountDownLatch release;

        ListHolder(String initial, long latencyMs) {
            this.list = json(initial);
            this.latencyMs = latencyMs;
        }

        JsonNode current() {
            return list;
        }

        void loseNextWrites(int count) {
            lose.set(count);
        }

        void blockNextWrite() {
            writeStarted = new java.util.concurrent.CountDownLatch(1);
            release = new java.util.concurrent.CountDownLatch(1);
        }

        void awaitWriteStarted() throws InterruptedException {
            writeStarted.await();
        }

        void release() {
            release.countDown();
        }

        @Override
        public ElasticAnswer read() {
            enter();
            try {
                ObjectNode shown = (ObjectNode) list.deepCopy();
                for (JsonNode entry : (ArrayNode) shown.path("resources")) {
                    ((ObjectNode) entry).putObject("info").put("healthy", true);
                }
                pause();
                return new ElasticAnswer(200, shown.toString());
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public ElasticAnswer write(String body) {
            enter();
            try {
                if (writeStarted != null) {
                    writeStarted.countDown();
                    release.await();
                }
                pause();
                if (refuseWrites != null) {
                    return refuseWrites;
                }
                JsonNode written = json(body);
                writes.add(written);
                if (lose.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                    list = written;
                }
                return new ElasticAnswer(202, "{}");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private void enter() {
            int now = inFlight.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
        }

        private void pause() {
            if (latencyMs > 0) {
                try {
                    Thread.sleep(latencyMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
