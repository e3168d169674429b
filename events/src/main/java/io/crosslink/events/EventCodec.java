package io.crosslink.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * JSON of events and documents. An event's type is not in its JSON but in the CloudEvents {@code ce_type}
 * header ({@code crosslink.<EventName>}), so {@link #decode} takes both.
 */
public final class EventCodec {
    public static final String TYPE_PREFIX = "crosslink.";
    /** The CloudEvents type of {@link ConnectionDocument} records on {@code connection-status}. */
    public static final String STATUS_TYPE = TYPE_PREFIX + "ConnectionStatus";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // A tolerant reader: a producer may add fields without sending older consumers' records to the DLQ.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The same reader, except that a field marked required may be missing: a REJECTED connection keeps its request as
     * far as it could be read (a Kafka request without an alias, a deployment without its id).
     */
    private static final ObjectMapper AS_READ = MAPPER.copy().setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasRequiredMarker(AnnotatedMember member) {
            return Boolean.FALSE;
        }
    });

    private static final Map<String, Class<? extends ConnectionEvent>> TYPES = Arrays
            .stream(ConnectionEvent.class.getPermittedSubclasses())
            .flatMap(c -> c.isInterface() ? Arrays.stream(c.getPermittedSubclasses()) : Arrays.stream(new Class<?>[] {c}))
            .map(EventCodec::eventClass)
            .collect(Collectors.toUnmodifiableMap(EventCodec::cloudEventType, Function.identity()));

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A request as far as it is readable: every field may be missing (see {@link ConnectionDocument#request()}). */
    public static ConnectionRequest requestAsRead(JsonNode json) {
        try {
            return AS_READ.treeToValue(json, ConnectionRequest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnreadableEventException("not a ConnectionRequest, even in part");
        }
    }

    public static String cloudEventType(Class<?> eventType) {
        return TYPE_PREFIX + eventType.getSimpleName();
    }

    /** Every event type by its CloudEvents type. */
    public static Map<String, Class<? extends ConnectionEvent>> eventTypes() {
        return TYPES;
    }

    public static String encode(Object eventOrDocument) {
        try {
            return MAPPER.writeValueAsString(eventOrDocument);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + eventOrDocument.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads an event. Throws {@link UnreadableEventException} (whose message names the problem, never the
     * payload) for an unknown type or JSON that does not fit it.
     */
    public static ConnectionEvent decode(String cloudEventType, String json) {
        Class<? extends ConnectionEvent> type = cloudEventType == null ? null : TYPES.get(cloudEventType);
        if (type == null) {
            throw new UnreadableEventException("unknown event type " + cloudEventType);
        }
        if (json == null) {
            throw new UnreadableEventException("empty " + cloudEventType);
        }
        ConnectionEvent event = read(json, type);
        if (event.eventId() == null || event.connectionId() == null || event.occurredAt() == null) {
            throw new UnreadableEventException(cloudEventType + " lacks eventId, connectionId or occurredAt");
        }
        return event;
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            // Where and what kind of problem, never Jackson's message: it may quote the payload.
            String where = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                    && !mapping.getPath().isEmpty()
                            ? " at " + mapping.getPath().stream()
                                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                                    .collect(Collectors.joining("."))
                            : e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr();
            throw new UnreadableEventException("not a valid " + type.getSimpleName() + ": "
                    + e.getClass().getSimpleName().replaceAll("Exception$", "") + where);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends ConnectionEvent> eventClass(Class<?> c) {
        return (Class<? extends ConnectionEvent>) c;
    }

    /** A record that is not a readable event: it belongs on the dead-letter topic. */
    public static final class UnreadableEventException extends RuntimeException {
        public UnreadableEventException(String message) {
            super(message);
        }
    }
}
