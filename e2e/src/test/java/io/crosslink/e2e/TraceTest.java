package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Events;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.RunSecrets;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.TraceReceiver;
import io.crosslink.e2e.support.TraceReceiver.ReceivedSpan;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces (issue #15): every service of the stack exports its spans to the test's OTLP receiver
 * ({@code E2eStack#traces}). One API-key connection posted over REST is one trace: the POST, each consumed record (the
 * traceparent travels through each service's outbox into the Kafka headers), each work item run and its Elastic calls,
 * in all four services. No span carries a secret of the run. A {@code connection-requests} record with a
 * {@code traceparent} header continues its producer's trace.
 */
@Order(6)
@ExtendWith(E2eStackExtension.class)
class TraceTest {
    private static final String ALIAS = "e2e-trace";
    private static final List<String> SERVICES = List.of("connect-service", "key-service", "trust-service",
            "verify-service");

    @Test
    void aSagaIsOneTraceThroughTheFourServicesAndItsElasticCallsWithNoSecretInIt(E2eStack stack) throws Exception {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        long begin = System.nanoTime();
        ConnectService connect = new ConnectService(stack.connectUrl());
        Http.Response accepted = connect.create(Requests.demo(ALIAS).toString());
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("id").asText();
        connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        TraceReceiver receiver = stack.traces();
        String traceId = traceOf(receiver, id);
        List<ReceivedSpan> trace = receiver.spans().stream().filter(span -> span.traceId().equals(traceId)).toList();

        Set<String> services = trace.stream().map(ReceivedSpan::service).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(services.containsAll(SERVICES), "services in trace " + traceId + ": " + services);
        assertTrue(trace.stream().anyMatch(span -> span.service().equals("connect-service")
                && span.name().startsWith("POST") && span.parentSpanId().isEmpty()),
                "the REST POST is the trace's root: " + describe(trace));
        List<ReceivedSpan> elasticCalls = trace.stream()
                .filter(span -> span.attributes().containsKey("crosslink.elastic.call")).toList();
        assertFalse(elasticCalls.isEmpty(), "no Elastic call in trace " + traceId + ": " + describe(trace));
        Set<String> callers = elasticCalls.stream().map(ReceivedSpan::service).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(callers.containsAll(SERVICES), "every service's Elastic calls are in the trace: " + callers);
        for (String topic : List.of("connect-events process", "key-events process", "trust-events process")) {
            assertTrue(trace.stream().anyMatch(span -> span.name().equals(topic)), topic + " is in the trace: "
                    + describe(trace));
        }

        // The trace id is in the text logs, after the connection id, on lines a work item of the saga logged.
        boolean logged = false;
        for (CrosslinkService service : CrosslinkService.values()) {
            String log = Files.readString(stack.service(service).log(), StandardCharsets.UTF_8);
            logged |= log.contains("[" + id + "] [" + traceId + "]");
        }
        assertTrue(logged, "no service logged a line with [" + id + "] [" + traceId + "]");

        assertNoSecretInAnySpan(stack, receiver.spans(), id);
        System.out.printf("trace %s of connection %s: %d spans (%d Elastic calls) from %s; %d spans received in all;"
                + " %.1f s%n", traceId, id, trace.size(), elasticCalls.size(), services, receiver.spans().size(),
                (System.nanoTime() - begin) / 1e9);
    }

    @Test
    void aKafkaRequestContinuesTheTraceItsProducerStarted(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        long begin = System.nanoTime();
        String producerTrace = UUID.randomUUID().toString().replace("-", "");
        String producerSpan = producerTrace.substring(0, 16);
        String requestId = "e2e-trace-" + UUID.randomUUID();
        ProducerRecord<String, String> record = Requests.authorized(requestId,
                Requests.submitted(requestId, ALIAS + "-kafka").toString(), stack.tokens().token("team-a"));
        record.headers().add("traceparent", ("00-" + producerTrace + "-" + producerSpan + "-01")
                .getBytes(StandardCharsets.UTF_8));
        new KafkaTopics(stack.kafkaBootstrapServers()).publishAll(List.of(record));
        ConnectService connect = new ConnectService(stack.connectUrl());
        String id = connect.awaitOneByAlias(ALIAS + "-kafka", E2eStack.LOCAL_ID).path("id").asText();
        connect.awaitStatus(id, ConnectionStatus.VERIFIED);

        TraceReceiver receiver = stack.traces();
        assertEquals(producerTrace, traceOf(receiver, id), "the saga continues the producer's trace");
        List<ReceivedSpan> trace = receiver.spans().stream().filter(span -> span.traceId().equals(producerTrace))
                .toList();
        assertTrue(trace.stream().anyMatch(span -> span.name().equals("connection-requests process")
                && span.parentSpanId().equals(producerSpan)), "the record's span is the producer span's child: "
                + describe(trace));
        System.out.printf("trace %s of Kafka request %s (connection %s): %d spans; %.1f s%n", producerTrace, requestId,
                id, trace.size(), (System.nanoTime() - begin) / 1e9);
    }

    /**
     * Waits until every service exported spans naming the connection (consumed records and work runs name it),
     * verify-service's work among them, and returns their one trace id.
     */
    private static String traceOf(TraceReceiver receiver, String id) {
        List<ReceivedSpan> saga = Poll.until("spans of connection " + id + " from the four services", () -> {
            List<ReceivedSpan> ofConnection = receiver.spans().stream()
                    .filter(span -> id.equals(span.attributes().get("crosslink.connection_id"))).toList();
            Set<String> services = ofConnection.stream().map(ReceivedSpan::service).collect(Collectors.toSet());
            boolean verifyRan = ofConnection.stream().anyMatch(span -> span.service().equals("verify-service")
                    && span.name().startsWith("work "));
            return services.containsAll(SERVICES) && verifyRan ? Optional.of(ofConnection) : Optional.empty();
        }, () -> receiver.spans().size() + " spans received, " + receiver.refused() + " exports refused");
        Set<String> traceIds = saga.stream().map(ReceivedSpan::traceId).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(1, traceIds.size(), "the saga's spans are in one trace: " + describe(saga));
        return traceIds.iterator().next();
    }

    /** The secrets NoPlaintextKeyTest looks for: this connection's key, data keys, API keys, passwords, tokens. */
    private static void assertNoSecretInAnySpan(E2eStack stack, List<ReceivedSpan> spans, String connectionId) {
        RunSecrets secrets = new RunSecrets(stack);
        secrets.addKey(new Events(new KafkaTopics(stack.kafkaBootstrapServers())).find(KeyCreated.class, connectionId)
                .orElseThrow(() -> new AssertionError("no KeyCreated of " + connectionId)));
        for (ReceivedSpan span : spans) {
            for (String text : span.texts()) {
                secrets.labelled().forEach((secret, label) -> assertFalse(text.contains(secret),
                        span.service() + "'s span " + span.name() + " contains " + label));
            }
        }
    }

    private static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(span -> span.service() + ":" + span.name() + "@" + span.traceId().substring(0, 8))
                .collect(Collectors.joining(", "));
    }
}
