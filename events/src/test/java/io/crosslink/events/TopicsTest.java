package io.crosslink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    /** Each event topic is written by exactly one service: this is the map the services rely on. */
    @Test
    void everyEventTypeHasItsOwnersTopic() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("crosslink.CompensationStarted", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.RemoteRemoved", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.RemoteRemovalFailed", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.UndoDeadlinePassed", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.KeystoreEntryRemoved", Topics.TRUST_EVENTS),
                Map.entry("crosslink.KeystoreEntryRemovalFailed", Topics.TRUST_EVENTS),
                Map.entry("crosslink.KeyInvalidated", Topics.KEY_EVENTS),
                Map.entry("crosslink.KeyInvalidationFailed", Topics.KEY_EVENTS),
                Map.entry("crosslink.ConnectionRequested", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.ConnectionRejected", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.RemoteConnected", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.RemoteRegistrationFailed", Topics.CONNECT_EVENTS),
                Map.entry("crosslink.KeyCreated", Topics.KEY_EVENTS),
                Map.entry("crosslink.KeyCreationFailed", Topics.KEY_EVENTS),
                Map.entry("crosslink.KeystoreUpdated", Topics.TRUST_EVENTS),
                Map.entry("crosslink.KeystoreUpdateFailed", Topics.TRUST_EVENTS),
                Map.entry("crosslink.TrustUpdated", Topics.TRUST_EVENTS),
                Map.entry("crosslink.TrustUpdateFailed", Topics.TRUST_EVENTS),
                Map.entry("crosslink.TrustRemoved", Topics.TRUST_EVENTS),
                Map.entry("crosslink.TrustRemovalFailed", Topics.TRUST_EVENTS),
                Map.entry("crosslink.ConnectionVerified", Topics.VERIFY_EVENTS),
                Map.entry("crosslink.VerificationFailed", Topics.VERIFY_EVENTS));
        assertEquals(expected.keySet(), EventCodec.eventTypes().keySet(), "a new type needs its owner here");
        EventCodec.eventTypes().forEach((type, cls) -> assertEquals(expected.get(type), Topics.ownerOf(cls), type));
    }

    @Test
    void deadLetterTopicIsTheTopicPlusDlq() {
        assertEquals("connection-requests.dlq", Topics.deadLetter(Topics.CONNECTION_REQUESTS));
    }
}
