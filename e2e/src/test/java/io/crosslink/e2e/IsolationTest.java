package io.crosslink.e2e;

import static io.crosslink.e2e.support.Faults.fault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.events.ConnectionStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * No deployment may stall another (issue #13): while one deployment (peer) answers every call after a minute, or
 * shows a pending plan for two minutes, connections among the other deployments, posted meanwhile, reach VERIFIED
 * within 60 s, every service stays live (polled each second), and the slow deployment's connection still ends.
 */
@Order(19)
class IsolationTest extends ReliabilityScenario {
    private static final Duration OTHERS_VERIFY_WITHIN = Duration.ofSeconds(60);
    private static final Duration SLOW_ONE_ENDS_WITHIN = Duration.ofMinutes(6);

    @Test
    void aDeploymentThatAnswersAfterAMinuteDelaysNoOther() {
        faults.add(fault().deployment(E2eStack.PEER_ID).target("cloud-api").latencyMs(60_000));
        faults.add(fault().deployment(E2eStack.PEER_ID).target("elasticsearch").latencyMs(60_000));
        try (LivenessWatch live = LivenessWatch.start(stack)) {
            String slow = connect.submit(Requests.demoFromPeer("e2e-iso-slow").toString());
            pause(Duration.ofSeconds(4)); // the slow connection's work is under way, as in the reproduction
            othersVerifyInTime("e2e-iso-a");
            // With the fault still there, the slow saga is past its deadline: it compensates, or already ended.
            awaitLeftForwardPath(slow);
            faults.clear();
            endsInATerminalStatus(slow);
            live.assertAlwaysUp();
        }
    }

    @Test
    void aTrustChangeWithAPlanPendingForTwoMinutesDelaysNoOther() {
        String plan = faults.add(fault().deployment(E2eStack.PEER_ID).target("plan").pendingSeconds(120).times(1));
        try (LivenessWatch live = LivenessWatch.start(stack)) {
            // Certificate model peer -> remote: peer's trust settings change (trusting remote's organization).
            String slow = connect.submit(Requests.certificateFromPeerToRemote("e2e-iso-plan").toString());
            Poll.until("peer's trust change to meet the pending plan", Duration.ofSeconds(60),
                    () -> faults.get(plan).path("hits").asInt() >= 1 ? Optional.of(true) : Optional.empty(),
                    () -> connect.document(slow).toString());
            othersVerifyInTime("e2e-iso-b");
            endsInATerminalStatus(slow);
            live.assertAlwaysUp();
        }
    }

    /** Three API-key connections local -> remote, posted now, each VERIFIED within 60 s of its POST. */
    private void othersVerifyInTime(String aliasPrefix) {
        long posted = System.nanoTime();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(connect.submit(Requests.demo(aliasPrefix + i).toString()));
        }
        try {
            for (String id : others) {
                Duration left = OTHERS_VERIFY_WITHIN.minus(since(posted));
                connect.awaitStatus(id, ConnectionStatus.VERIFIED, left.isNegative() ? Duration.ZERO : left);
            }
            System.out.printf("isolation: 3 connections among other deployments VERIFIED %.1f s after their POST%n",
                    seconds(posted));
        } finally {
            others.forEach(this::disconnectIfStillThere);
        }
    }

    private void awaitLeftForwardPath(String id) {
        Poll.until("connection " + id + " to leave its forward path", SLOW_ONE_ENDS_WITHIN, () -> {
            ConnectionStatus status = status(id);
            return status == ConnectionStatus.COMPENSATING || status.terminal() ? Optional.of(status) : Optional.empty();
        }, () -> connect.document(id).toString());
    }

    private void endsInATerminalStatus(String id) {
        long begin = System.nanoTime();
        ConnectionStatus end = Poll.until("connection " + id + " to end", SLOW_ONE_ENDS_WITHIN, () -> {
            ConnectionStatus status = status(id);
            return status.terminal() ? Optional.of(status) : Optional.empty();
        }, () -> connect.document(id).toString());
        System.out.printf("isolation: the slow deployment's connection ended %s %.1f s later%n", end, seconds(begin));
        disconnectIfStillThere(id);
    }

    private ConnectionStatus status(String id) {
        return ConnectionStatus.valueOf(connect.document(id).path("status").asText());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls every service's liveness each second, with a short timeout: a hung service counts as down. */
    static final class LivenessWatch implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        private final Map<CrosslinkService, AtomicInteger> polls = new ConcurrentHashMap<>();
        private final List<String> notUp = new CopyOnWriteArrayList<>();

        static LivenessWatch start(E2eStack stack) {
            LivenessWatch watch = new LivenessWatch();
            watch.poller.scheduleAtFixedRate(() -> {
                for (CrosslinkService service : CrosslinkService.values()) {
                    watch.poll(service, stack.service(service).url() + "/q/health/live");
                }
            }, 0, 1, TimeUnit.SECONDS);
            return watch;
        }

        private void poll(CrosslinkService service, String url) {
            polls.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = io.crosslink.events.EventCodec.mapper().readTree(response.body());
                if (response.statusCode() != 200 || !"UP".equals(body.path("status").asText())) {
                    notUp.add(service + ": " + response.statusCode() + " " + response.body());
                }
            } catch (Exception e) {
                notUp.add(service + ": " + e);
            }
        }

        void assertAlwaysUp() {
            poller.shutdown();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertEquals(List.of(), notUp, "liveness answers other than UP");
            int fewest = polls.values().stream().mapToInt(AtomicInteger::get).min().orElse(0);
            assertTrue(polls.size() == CrosslinkService.values().length && fewest >= 30,
                    "each service's liveness polled at least 30 times: " + polls);
            System.out.printf("isolation: liveness of %d services UP in all %d polls each%n", polls.size(), fewest);
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }
    }
}
