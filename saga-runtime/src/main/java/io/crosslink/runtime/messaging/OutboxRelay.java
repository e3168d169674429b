package io.crosslink.runtime.messaging;

import io.crosslink.runtime.tracing.Traceparent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox: right after a transaction that wrote to it commits, and every
 * {@code crosslink.outbox.poll-interval} for what a crash or a broker outage left behind. Rows are claimed per
 * connection ({@link OutboxClaims}: several instances never send the same row, nor overtake each other's rows of
 * one connection), sent in order as
 * CloudEvents in binary mode on the {@code outbox} channel, and deleted once Kafka acknowledged them. A crash
 * after the send and before the delete publishes again: consumers' inboxes make that harmless.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    /** Fired by {@link Outbox} when a row is added; observed after the commit. */
    public record Written() {
    }

    @Inject
    @Channel("outbox")
    Emitter<String> emitter;

    @Inject
    OutboxClaims claims;

    @ConfigProperty(name = "crosslink.outbox.source")
    String source;

    @ConfigProperty(name = "crosslink.outbox.poll-interval", defaultValue = "2s")
    Duration pollInterval;

    @ConfigProperty(name = "crosslink.outbox.send-timeout", defaultValue = "30s")
    Duration sendTimeout;

    private final AtomicBoolean requested = new AtomicBoolean();
    private ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::drain, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdown();
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Written written) {
        if (executor != null && requested.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** Publishes until the outbox is empty. */
    void drain() {
        requested.set(false);
        try {
            while (QuarkusTransaction.requiringNew().call(this::publishBatch) == BATCH) {
                // a full batch: there may be more
            }
        } catch (RuntimeException e) {
            LOG.warnf("outbox publish failed, retrying in %s: %s", pollInterval, e.getMessage());
        }
    }

    private int publishBatch() {
        List<OutboxMessage> batch = claims.claim(BATCH);
        List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
        for (OutboxMessage row : batch) {
            acks.add(send(row));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .join();
        if (!batch.isEmpty()) {
            // One statement for the batch, not one per row.
            OutboxMessage.delete("seq in ?1", batch.stream().map(row -> row.seq).toList());
        }
        return batch.size();
    }

    private CompletableFuture<Void> send(OutboxMessage row) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(row.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(row.topic)
                        .withKey(row.recordKey)
                        .withHeaders(headers(row))
                        .build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(row.messageId)
                        .withType(row.ceType)
                        .withSource(URI.create(source))
                        .withSubject(row.recordKey)
                        .withTimestamp(row.createdAt.atZone(ZoneOffset.UTC))
                        .withDataContentType("application/json")
                        .build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return acked;
    }

    /**
     * The row's traceparent, as the record's {@code traceparent} header: the consumer's span continues the trace of the
     * transaction that wrote the row (the relay's own thread has none). The connector's tracing is off on the
     * {@code outbox} channel (each service's application.properties), so nothing replaces it.
     */
    static RecordHeaders headers(OutboxMessage row) {
        RecordHeaders headers = new RecordHeaders();
        if (Traceparent.valid(row.traceparent)) {
            headers.add(Traceparent.HEADER, row.traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }
}
