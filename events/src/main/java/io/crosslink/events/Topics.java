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

    /** The topic an event type is published on, as the type declares it ({@link PublishedOn}). */
    public static String ownerOf(Class<? extends ConnectionEvent> type) {
        PublishedOn topic = type.getAnnotation(PublishedOn.class);
        if (topic == null) {
            throw new IllegalStateException(type.getName() + " declares no topic (@PublishedOn)");
        }
        return topic.value();
    }
}
