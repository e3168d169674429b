package io.crosslink.connect.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.service.ConnectionService;
import io.crosslink.connect.service.RequestValidator;
import io.crosslink.events.EventCodec;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Requests other systems publish on {@code connection-requests} ({@code SubmittedRequest}: the REST body plus
 * {@code requestId}). A record that is not a well-formed request (not JSON, not an object, no requestId) is
 * refused and goes to {@code connection-requests.dlq} with the reason in its headers; everything else becomes
 * a connection, REJECTED when it does not validate. Failures to store it (the database away) are retried.
 */
@ApplicationScoped
public class ConnectionRequestsConsumer {
    private static final Logger LOG = Logger.getLogger(ConnectionRequestsConsumer.class);
    static final int MAX_REQUEST_ID = 255;

    private final ConnectionService connections;

    public ConnectionRequestsConsumer(ConnectionService connections) {
        this.connections = connections;
    }

    @Incoming("connection-requests")
    @Blocking
    @Retry(maxRetries = 5, delay = 1000, jitter = 500, abortOn = MalformedRequestException.class)
    public void consume(ConsumerRecord<String, String> record) {
        ObjectNode body = wellFormed(record.value());
        String requestId = body.remove("requestId").asText();
        ConnectionService.Intake intake = connections.submitFromTopic(requestId, body);
        LOG.infof("request %s from %s-%d@%d: %s", requestId, record.topic(), record.partition(), record.offset(), intake);
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
            json = EventCodec.mapper().readTree(value);
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
        return object;
    }

    /** The record is no request at all: dead-lettered with this message as the reason. */
    public static class MalformedRequestException extends RuntimeException {
        public MalformedRequestException(String message) {
            super("not a connection request: " + message, null, false, false);
        }
    }
}
