package io.crosslink.events;

import java.util.List;

/** The Kafka topics of Crosslink. Each event topic is written by exactly one service. */
public final class Topics {
    /** Requests published by other systems ({@link SubmittedRequest}); read only by connect-service. */
    public static final String CONNECTION_REQUESTS = "connection-requests";
    public static final String CONNECT_EVENTS = "connect-events";
    public static final String KEY_EVENTS = "key-events";
    public static final String TRUST_EVENTS = "trust-events";
    public static final String VERIFY_EVENTS = "verify-events";
    /** Compacted: the latest {@link ConnectionDocument} per connection id. */
    public static final String CONNECTION_STATUS = "connection-status";

    public static final List<String> EVENT_TOPICS = List.of(CONNECT_EVENTS, KEY_EVENTS, TRUST_EVENTS, VERIFY_EVENTS);

    private Topics() {
    }

    /** Where records that cannot be read go, with the reason in the headers. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /** The topic an event type is published on. */
    public static String ownerOf(Class<? extends ConnectionEvent> type) {
        String name = type.getSimpleName();
        if (name.startsWith("Keystore") || name.startsWith("Trust")) {
            return TRUST_EVENTS;
        }
        if (name.startsWith("Key")) {
            return KEY_EVENTS;
        }
        if (name.equals("ConnectionVerified") || name.equals("VerificationFailed")) {
            return VERIFY_EVENTS;
        }
        return CONNECT_EVENTS;
    }
}
