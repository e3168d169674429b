package io.crosslink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    /** Each event topic is written by exactly one service: this is the map the services rely on. */
    @Test
    void everyEventTypeHasItsOwnersTopic() {
        Map<String, String> expected = Map.of(
                "crosslink.ConnectionRequested", Topics.CONNECT_EVENTS,
                "crosslink.ConnectionRejected", Topics.CONNECT_EVENTS,
                "crosslink.RemoteConnected", Topics.CONNECT_EVENTS,
                "crosslink.RemoteRegistrationFailed", Topics.CONNECT_EVENTS,
                "crosslink.KeyCreated", Topics.KEY_EVENTS,
                "crosslink.KeyCreationFailed", Topics.KEY_EVENTS,
                "crosslink.KeystoreUpdated", Topics.TRUST_EVENTS,
                "crosslink.KeystoreUpdateFailed", Topics.TRUST_EVENTS,
                "crosslink.ConnectionVerified", Topics.VERIFY_EVENTS,
                "crosslink.VerificationFailed", Topics.VERIFY_EVENTS);
        assertEquals(expected.keySet(), EventCodec.eventTypes().keySet(), "a new type needs its owner here");
        EventCodec.eventTypes().forEach((type, cls) -> assertEquals(expected.get(type), Topics.ownerOf(cls), type));
    }

    @Test
    void deadLetterTopicIsTheTopicPlusDlq() {
        assertEquals("connection-requests.dlq", Topics.deadLetter(Topics.CONNECTION_REQUESTS));
    }
}
