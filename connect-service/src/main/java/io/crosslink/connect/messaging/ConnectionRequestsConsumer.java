package io.crosslink.connect.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.service.ConnectionService;
import io.crosslink.connect.service.RequestValidator;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.runtime.tracing.SpanScope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Requests other systems publish on {@code connection-requests} ({@code SubmittedRequest}: the REST body plus
 * {@code requestId}). A record that is not a well-formed request (not JSON, not an object, no requestId) is
 * refused and goes to {@code connection-requests.dlq} with the reason in its headers; everything else becomes
 * a connection, REJECTED when it does not validate or its bearer token ({@code authorization} header) does not allow it
 * ({@link RequestIntake}). Failures to store it (the database away) are retried there, then dead-lettered too. The
 * token is taken off the record before anything else, so no dead-lettered record carries it.
 */
@ApplicationScoped
public class ConnectionRequestsConsumer {
    private static final Logger LOG = Logger.getLogger(ConnectionRequestsConsumer.class);
    static final int MAX_REQUEST_ID = 255;
    /** As REST reads a body: each key once, nothing after the one JSON value. */
    private static final ObjectReader STRICT_JSON = EventCodec.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final RequestIntake intake;
    /** Each record's span continues the trace of its traceparent header (the sender's outbox sets it). */
    private final SagaSpans spans;

    public ConnectionRequestsConsumer(RequestIntake intake, SagaSpans spans) {
        this.intake = intake;
        this.spans = spans;
    }

    /**
     * Takes the message rather than the record: its headers are a copy of the record's, which the dead-letter topic
     * copies in turn, and the token must leave both before the message can fail.
     */
    @Incoming("connection-requests")
    @Blocking
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> consume(Message<String> message) {
        IncomingKafkaRecordMetadata<String, String> metadata = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        ConsumerRecord<String, String> record = metadata.getRecord();
        Optional<String> authorization = takeAuthorization(metadata.getHeaders());
        takeAuthorization(record.headers());
        // A producer's traceparent header starts the saga's trace (else it starts here).
        try (SpanScope span = spans.consume(record)) {
            ObjectNode body = wellFormed(record.value());
            String requestId = body.remove("requestId").asText();
            ConnectionService.Intake result = intake.take(requestId, body, authorization, recordTime(record));
            LOG.infof("request %s from %s-%d@%d: %s", requestId, record.topic(), record.partition(), record.offset(),
                    result);
        } catch (RuntimeException e) {
            // To the dead-letter topic (failure-strategy), with the reason in its headers.
            return message.nack(e);
        }
        return message.ack();
    }

    /**
     * The value of the (last) {@code authorization} header, every one of them removed from {@code headers}. A header
     * that is not UTF-8 counts as a token that is not valid.
     */
    static Optional<String> takeAuthorization(Headers headers) {
        Header last = null;
        for (Header header : headers) {
            if (RecordCallers.HEADER.equalsIgnoreCase(header.key())) {
                last = header;
            }
        }
        for (Header header : headers.toArray()) {
            if (RecordCallers.HEADER.equalsIgnoreCase(header.key())) {
                headers.remove(header.key());
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        return Optional.of(last.value() == null ? "" : new String(last.value(), StandardCharsets.UTF_8));
    }

    /** When the record was produced (or appended, as the topic says); now for a record without a timestamp. */
    static Instant recordTime(ConsumerRecord<?, ?> record) {
        return record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
    }

    /** The record as a JSON object with a textual requestId, or {@link MalformedRequestException}. */
    static ObjectNode wellFormed(String value) {
        if (value == null || value.isBlank()) {
            throw new MalformedRequestException("empty record");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > RequestValidator.MAX_REQUEST_BYTES) {
            throw new MalformedRequestException("larger than " + RequestValidator.MAX_REQUEST_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = STRICT_JSON.readTree(value);
        } catch (IOException e) {
            // Where, never Jackson's message: it may quote the payload.
            throw new MalformedRequestException("not JSON" + (e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                    && p.getLocation() != null ? " (line " + p.getLocation().getLineNr() + ", column "
                            + p.getLocation().getColumnNr() + ")" : ""));
        }
        if (!(json instanceof ObjectNode object)) {
            throw new MalformedRequestException("not a JSON object");
        }
        JsonNode requestId = object.get("requestId");
        if (requestId == null || !requestId.isTextual() || requestId.asText().isBlank()) {
            throw new MalformedRequestException("no requestId (a non-blank string is required)");
        }
        if (requestId.asText().length() > MAX_REQUEST_ID) {
            throw new MalformedRequestException("requestId longer than " + MAX_REQUEST_ID + " characters");
        }
        if (requestId.asText().chars().anyMatch(Character::isISOControl)) {
            // PostgreSQL refuses NUL in text: such an id could never be stored, only retried.
            throw new MalformedRequestException("requestId with control characters");
        }
        return object;
    }

    /** The record is no request at all: dead-lettered with this message as the reason. */
    public static class MalformedRequestException extends RuntimeException {
        public MalformedRequestException(String message) {
            super("not a connection request: " + message, null, false, false);
        }
    }
}
