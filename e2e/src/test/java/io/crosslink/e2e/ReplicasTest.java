package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.CrosslinkService;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.ConsumerGroups;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Events;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import io.crosslink.infra.ServiceProcess;
import io.crosslink.runtime.secret.SecretBox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue #13, two replicas: a second instance of every service (same consumer group, same database, its own HTTP port)
 * beside the first. A burst of API-key connections (local → remote and peer → remote), posted at once, half to each
 * connect-service; during it the second instance of every service is killed with SIGKILL. Nothing is lost (every
 * connection VERIFIED, then DISCONNECTED with nothing left on Elastic), nothing is done twice (one active key per
 * connection, one keystore entry per alias, each event once and in causal order, the same document from both
 * connect-services and on {@code connection-status}), and each dead instance's partitions reach the live one within
 * 15 s of the kill (consumer sessions of 8 s, {@link E2eStack#TIMINGS}).
 */
@Order(20)
@Tag("replicas")
class ReplicasTest extends ReliabilityScenario {
    /** Half from local, half from peer: two keystores (one per node) share the serialized keystore work. */
    private static final int CONNECTIONS = 12;
    /** Issue #13's bound: from the kill until the group's live members hold every partition again. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);
    /** The per-topic order of one connection's events: connected, verified, then disconnected. */
    private static final Map<String, List<String>> EVENTS_PER_TOPIC = Map.of(
            Topics.CONNECT_EVENTS, List.of("ConnectionRequested", "RemoteConnected", "CompensationStarted", "RemoteRemoved"),
            Topics.KEY_EVENTS, List.of("KeyCreated", "KeyInvalidated"),
            Topics.TRUST_EVENTS, List.of("KeystoreUpdated", "KeystoreEntryRemoved"),
            Topics.VERIFY_EVENTS, List.of("ConnectionVerified"));
    /** The same events in causal order: each one's occurredAt is not before the previous one's. */
    private static final List<String> CAUSAL_ORDER = List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated",
            "RemoteConnected", "ConnectionVerified", "CompensationStarted", "RemoteRemoved", "KeystoreEntryRemoved",
            "KeyInvalidated");

    /** Per connection id, its alias and local deployment, in POST order. */
    private final Map<String, Request> requests = new LinkedHashMap<>();

    private record Request(String alias, String localId) {
    }

    @AfterAll
    void stopReplicas() {
        if (stack != null) {
            stack.stopReplicas();
        }
    }

    @Test
    void twoInstancesOfEveryServiceShareABurstAndAKilledInstanceLosesNothing() throws Exception {
        ElasticState localBefore = ElasticState.capture(elastic);
        ElasticState peerBefore = ElasticState.capture(elastic, E2eStack.PEER_ID);
        long begin = System.nanoTime();
        stack.startReplicas();
        System.out.printf("replicas: a second instance of every service ready in %.1f s (Kafka group protocol %s, session %s)%n",
                seconds(begin), E2eStack.TIMINGS.groupProtocol().option(), E2eStack.TIMINGS.kafkaSessionTimeout() == null
                        ? "the default" : E2eStack.TIMINGS.kafkaSessionTimeout().toSeconds() + " s");
        List<ConnectService> connects = List.of(connect, new ConnectService(stack.replica(CrosslinkService.CONNECT).url()));
        List<String> groupIds = java.util.Arrays.stream(CrosslinkService.values()).map(CrosslinkService::consumerGroup).toList();
        Map<String, List<String>> instances = new LinkedHashMap<>();
        for (CrosslinkService service : CrosslinkService.values()) {
            instances.put(service.consumerGroup(), List.of(prefix(service, 0), prefix(service, 1)));
        }

        try (ConsumerGroups groups = new ConsumerGroups(stack.kafkaBootstrapServers())) {
            // Both instances of each service consume: each holds a partition of every topic its group reads.
            Map<String, ConsumerGroups.Group> shared = groups.awaitShared(instances, Duration.ofSeconds(60));
            for (CrosslinkService service : CrosslinkService.values()) {
                ConsumerGroups.Group group = shared.get(service.consumerGroup());
                for (int instance = 0; instance < 2; instance++) {
                    assertFalse(group.heldBy(prefix(service, instance)).isEmpty(), "instance " + (instance + 1) + " of "
                            + service.module() + " holds no partition: " + group);
                }
                System.out.println("before the burst: " + group);
            }

            // The burst: every request at once, half to each connect-service.
            long burst = System.nanoTime();
            Map<Integer, String> ids = new ConcurrentHashMap<>();
            try {
                allAtOnce(CONNECTIONS, i -> {
                    Http.Response accepted = connects.get(i % 2).create((fromPeer(i) ? Requests.demoFromPeer(alias(i))
                            : Requests.demo(alias(i))).toString());
                    assertEquals(202, accepted.status(), "POST of " + alias(i) + " to instance " + (i % 2 + 1) + ": " + accepted);
                    ids.put(i, accepted.json().path("id").asText());
                });
            } finally {
                for (int i = 0; i < CONNECTIONS; i++) {
                    if (ids.containsKey(i)) {
                        requests.put(ids.get(i), new Request(alias(i), fromPeer(i) ? E2eStack.PEER_ID : E2eStack.LOCAL_ID));
                    }
                }
            }

            // Kill the second instances while the saga is under way: once a key exists, with keystore work left.
            Poll.until("a connection of the burst past REQUESTED", () -> requests.keySet().stream()
                    .anyMatch(id -> !connect.document(id).path("status").asText().equals("REQUESTED"))
                    ? Optional.of(true) : Optional.empty(), () -> "all REQUESTED");
            Map<String, ConsumerGroups.Group> beforeKill = groups.describe(groupIds);
            Map<CrosslinkService, Long> killedAt = new EnumMap<>(CrosslinkService.class);
            for (CrosslinkService service : CrosslinkService.values()) {
                ConsumerGroups.Group group = beforeKill.get(service.consumerGroup());
                assertFalse(group.heldBy(prefix(service, 1)).isEmpty(), "the instance to kill holds nothing: " + group);
                killedAt.put(service, System.nanoTime());
                stack.replica(service).kill();
            }
            System.out.printf("killed (-9) the second instance of every service %.1f s after the burst began%n", seconds(burst));

            // The takeover, per service: until the group is stable again, without the dead members, its live members
            // holding every partition (measured past the bound, so a failure says by how much).
            Map<CrosslinkService, CompletableFuture<ConsumerGroups.Takeover>> takeovers = new EnumMap<>(CrosslinkService.class);
            for (CrosslinkService service : CrosslinkService.values()) {
                Set<TopicPartition> all = beforeKill.get(service.consumerGroup()).held();
                takeovers.put(service, CompletableFuture.supplyAsync(() -> groups.awaitTakeover(service.consumerGroup(),
                        prefix(service, 1), all, Duration.ofSeconds(90))));
            }
            Map<CrosslinkService, Duration> takeover = new EnumMap<>(CrosslinkService.class);
            for (CrosslinkService service : CrosslinkService.values()) {
                ConsumerGroups.Takeover seen = takeovers.get(service).join();
                takeover.put(service, Duration.ofNanos(seen.seenAtNanos() - killedAt.get(service)));
                System.out.printf("takeover of %s's partitions %s: %.1f s after the kill; then %s%n", service.module(),
                        beforeKill.get(service.consumerGroup()).heldBy(prefix(service, 1)),
                        takeover.get(service).toMillis() / 1000.0, seen.group());
            }

            // The killed instances come back (as an orchestrator would restart them) while the saga goes on.
            List<CompletableFuture<Void>> restarts = new ArrayList<>();
            for (CrosslinkService service : CrosslinkService.values()) {
                ServiceProcess replica = stack.replica(service);
                restarts.add(CompletableFuture.runAsync(() -> {
                    replica.restart();
                    replica.awaitReady(Duration.ofMinutes(3));
                }));
            }
            Map<String, JsonNode> verified = new LinkedHashMap<>();
            for (String id : requests.keySet()) {
                verified.put(id, connect.awaitStatus(id, ConnectionStatus.VERIFIED));
            }
            System.out.printf("%d connections VERIFIED %.1f s after the burst began (second instances killed during it); "
                    + "createdAt -> ConnectionVerified per connection: %s%n", CONNECTIONS, seconds(burst),
                    verified.values().stream().map(ReplicasTest::sagaSeconds).toList());
            takeover.forEach((service, took) -> assertTrue(took.compareTo(TAKEOVER_BOUND) <= 0, service.module()
                    + "'s partitions were taken over " + took.toMillis() + " ms after the kill, over the bound of "
                    + TAKEOVER_BOUND.toSeconds() + " s"));
            CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).join();
            groups.awaitShared(instances, Duration.ofSeconds(60));

            // One key, one keystore entry, one connected remote per connection; nothing else new.
            ElasticState localVerified = ElasticState.capture(elastic);
            ElasticState peerVerified = ElasticState.capture(elastic, E2eStack.PEER_ID);
            Map<String, String> newKeys = new TreeMap<>(localVerified.remoteCrosslinkKeys());
            newKeys.keySet().removeAll(localBefore.remoteCrosslinkKeys().keySet());
            assertEquals(requests.keySet().stream().map(id -> "crosslink-" + id).collect(Collectors.toCollection(TreeSet::new)),
                    new TreeSet<>(newKeys.values()), "R's new active keys: one per connection");
            assertEquals(CONNECTIONS, newKeys.size(), "R's new active keys: one per connection, none twice: " + newKeys);
            for (var entry : requests.entrySet()) {
                String id = entry.getKey();
                Request request = entry.getValue();
                JsonNode key = elastic.activeApiKeys(E2eStack.REMOTE_ID, "crosslink-" + id).get(0);
                assertEquals(id, key.path("metadata").path("connection_id").asText(), key.toString());
                assertEquals(request.localId(), key.path("metadata").path("local_deployment_id").asText(), key.toString());
                JsonNode info = elastic.remoteInfo(request.localId()).path(request.alias());
                assertTrue(info.path("connected").asBoolean(), "_remote/info of " + request.alias() + ": " + info);
                SagaChecks.timelineHasEveryStepInOrder(verified.get(id));
            }
            assertEquals(withCredentials(localBefore.localKeystoreEntries(), E2eStack.LOCAL_ID),
                    localVerified.localKeystoreEntries(), "L's keystore: one entry per alias");
            assertEquals(withCredentials(peerBefore.localKeystoreEntries(), E2eStack.PEER_ID),
                    peerVerified.localKeystoreEntries(), "peer's keystore: one entry per alias");
            sameDocumentEverywhere(connects);

            // The DELETE burst, half to each connect-service (both instances of every service running again).
            long deletes = System.nanoTime();
            List<String> order = List.copyOf(requests.keySet());
            allAtOnce(CONNECTIONS, i -> {
                Http.Response deleted = connects.get(i % 2).delete(order.get(i));
                assertEquals(202, deleted.status(), deleted.toString());
            });
            Map<String, JsonNode> disconnected = new LinkedHashMap<>();
            for (String id : requests.keySet()) {
                disconnected.put(id, connect.awaitStatus(id, ConnectionStatus.DISCONNECTED));
            }
            System.out.printf("%d connections DISCONNECTED %.1f s after the DELETEs began%n", CONNECTIONS, seconds(deletes));
            Map<String, List<ConsumerRecord<String, String>>> records = eventRecordsOfTheBurst();
            for (String id : requests.keySet()) {
                List<ConnectionEvent> events = eventsInOrder(id, records.getOrDefault(id, List.of()));
                SagaChecks.undoRanInReverseOrder(disconnected.get(id), "disconnect", events);
            }
            assertEquals(localBefore, ElasticState.capture(elastic), "local and R after the disconnects: as before the burst");
            assertEquals(peerBefore, ElasticState.capture(elastic, E2eStack.PEER_ID), "peer and R after the disconnects");
            for (Request request : requests.values()) {
                assertFalse(elastic.remoteInfo(request.localId()).has(request.alias()), request.alias() + " still on "
                        + request.localId());
            }
            sameDocumentEverywhere(connects);
            noPlaintextKeyInTheReplicasLogs();
        } finally {
            requests.keySet().forEach(this::disconnectIfStillThere);
        }
    }

    /** Requests 2, 3, 6, 7, … come from peer: origin and connect-service instance (i mod 2) vary independently. */
    private static boolean fromPeer(int i) {
        return i % 4 >= 2;
    }

    private static String alias(int i) {
        return (fromPeer(i) ? "e2e-replicas-p" : "e2e-replicas-l") + i;
    }

    /** From the document's createdAt to its last timeline entry, in seconds with one decimal (printed, never asserted). */
    private static String sagaSeconds(JsonNode document) {
        JsonNode timeline = document.path("timeline");
        Instant end = Instant.parse(timeline.get(timeline.size() - 1).path("at").asText());
        return String.format(java.util.Locale.ROOT, "%.1f",
                Duration.between(Instant.parse(document.path("createdAt").asText()), end).toMillis() / 1000.0);
    }

    /** How the Kafka client ids of the service's instance begin ({@link ServiceWiring#clientIdPrefix}). */
    private static String prefix(CrosslinkService service, int instance) {
        return ServiceWiring.clientIdPrefix(service, instance);
    }

    /** L's or peer's keystore entries before, plus the credentials of each alias from that deployment. */
    private Set<String> withCredentials(Set<String> before, String localId) {
        Set<String> expected = new TreeSet<>(before);
        requests.values().stream().filter(r -> r.localId().equals(localId))
                .forEach(r -> expected.add(ConnectionRequest.credentialsSetting(r.alias())));
        return expected;
    }

    /** The burst's event records on the four event topics, per connection, each topic in offset order. */
    private Map<String, List<ConsumerRecord<String, String>>> eventRecordsOfTheBurst() {
        Map<String, List<ConsumerRecord<String, String>>> records = new LinkedHashMap<>();
        for (String topic : Topics.EVENT_TOPICS) {
            for (ConsumerRecord<String, String> record : events.records(topic)) {
                if (requests.containsKey(record.key())) {
                    records.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
                }
            }
        }
        return records;
    }

    /**
     * The connection's events, each once: a record published again (same event id, e.g. by a relay killed before it
     * marked it sent) is left out; two events of one kind (two keys announced) are not, but for a RemoteConnected
     * repeated by a repair. Per topic they are in the saga's order, and across topics in causal order.
     */
    private static List<ConnectionEvent> eventsInOrder(String id, List<ConsumerRecord<String, String>> records) {
        Map<String, ConnectionEvent> byId = new LinkedHashMap<>();
        Map<String, List<String>> perTopic = new TreeMap<>();
        int republished = 0;
        for (ConsumerRecord<String, String> record : records) {
            ConnectionEvent event = Events.decode(record);
            if (byId.putIfAbsent(event.eventId(), event) != null) {
                republished++;
                continue;
            }
            List<String> topicEvents = perTopic.computeIfAbsent(record.topic(), t -> new ArrayList<>());
            String name = event.getClass().getSimpleName();
            if (name.equals("RemoteConnected") && !topicEvents.isEmpty()
                    && topicEvents.get(topicEvents.size() - 1).equals(name)) {
                continue; // a repair: Elasticsearch lost the remote, connect-service registered it again (RemoteWatch)
            }
            topicEvents.add(name);
        }
        assertEquals(new TreeMap<>(EVENTS_PER_TOPIC), perTopic, "the events of " + id + " per topic (" + republished
                + " republished record(s) left out)");
        Map<String, Instant> at = new LinkedHashMap<>();
        byId.values().forEach(event -> at.put(event.getClass().getSimpleName(), event.occurredAt()));
        for (int i = 1; i < CAUSAL_ORDER.size(); i++) {
            assertFalse(at.get(CAUSAL_ORDER.get(i)).isBefore(at.get(CAUSAL_ORDER.get(i - 1))), "the events of " + id
                    + " out of causal order: " + at);
        }
        return List.copyOf(byId.values());
    }

    /**
     * Both connect-services answer the same document for every connection, and it is the last one on
     * {@code connection-status} (the relay publishes it after the commit: waited for).
     */
    private void sameDocumentEverywhere(List<ConnectService> connects) {
        for (String id : requests.keySet()) {
            ConnectionDocument first = EventCodec.read(connects.get(0).get(id).body(), ConnectionDocument.class);
            ConnectionDocument second = EventCodec.read(connects.get(1).get(id).body(), ConnectionDocument.class);
            assertEquals(first, second, "GET of " + id + " on the two connect-services");
        }
        Map<String, String> last = new LinkedHashMap<>();
        Poll.until("connection-status to hold each connection's document", Duration.ofSeconds(30), () -> {
            last.clear();
            for (ConsumerRecord<String, String> record : kafka.readAll(Topics.CONNECTION_STATUS)) {
                if (requests.containsKey(record.key())) {
                    last.put(record.key(), record.value());
                }
            }
            for (String id : requests.keySet()) {
                if (!last.containsKey(id) || !EventCodec.read(last.get(id), ConnectionDocument.class)
                        .equals(EventCodec.read(connect.get(id).body(), ConnectionDocument.class))) {
                    return Optional.empty();
                }
            }
            return Optional.of(true);
        }, () -> "last status records " + last.keySet().size() + " of " + CONNECTIONS);
    }

    /**
     * NoPlaintextKeyTest reads the first instances' logs: the second instances' logs must not hold the burst's keys
     * either (opened from KeyCreated with the run's data key, as trust-service opens them).
     */
    private void noPlaintextKeyInTheReplicasLogs() throws Exception {
        SecretBox box = SecretBox.fromBase64(stack.dataKey());
        Set<String> secrets = new LinkedHashSet<>();
        for (ConnectionEvent event : events.all(Topics.KEY_EVENTS)) {
            if (event instanceof KeyCreated created && requests.containsKey(created.connectionId())) {
                String encoded = box.open(created.encodedKey(), created.connectionId());
                secrets.add(encoded);
                secrets.add(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)
                        .substring(created.keyId().length() + 1));
            }
        }
        assertEquals(2 * CONNECTIONS, secrets.size(), "an encoded key and a secret per connection");
        for (CrosslinkService service : CrosslinkService.values()) {
            String log = Files.readString(stack.replica(service).log(), StandardCharsets.UTF_8);
            assertFalse(log.isBlank(), stack.replica(service).name() + " logged nothing");
            for (String secret : secrets) {
                assertFalse(log.contains(secret), stack.replica(service).log() + " holds a key of the burst");
            }
        }
    }

    /** Runs {@code action} for 0 … n-1 at the same moment, one thread each; a failure of any is rethrown. */
    private static void allAtOnce(int n, IntConsumer action) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit((Callable<Void>) () -> {
                    start.await();
                    action.accept(index);
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
}
