package io.crosslink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec.UnreadableEventException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void samplesCoverEveryEventType() {
        assertEquals(EventCodec.eventTypes().keySet(), Samples.everyEvent().keySet());
    }

    @Test
    void everyEventSurvivesARoundTrip() {
        for (Map.Entry<String, ConnectionEvent> sample : Samples.everyEvent().entrySet()) {
            String json = EventCodec.encode(sample.getValue());
            assertEquals(sample.getValue(), EventCodec.decode(sample.getKey(), json), sample.getKey());
        }
    }

    @Test
    void cloudEventTypeIsCrosslinkDotSimpleName() {
        assertEquals("crosslink.KeyCreated", Samples.everyEvent().get("crosslink.KeyCreated").cloudEventType());
        assertEquals("crosslink.ConnectionStatus", EventCodec.STATUS_TYPE);
    }

    @Test
    void timesAreIsoStringsAndTypeIsNotInTheBody() throws Exception {
        JsonNode json = EventCodec.mapper().readTree(EventCodec.encode(Samples.everyEvent().get("crosslink.KeystoreUpdated")));
        assertEquals("2026-11-28T12:00:00.123Z", json.path("occurredAt").asText());
        assertFalse(json.has("cloudEventType"));
    }

    @Test
    void unknownTypeIsUnreadable() {
        UnreadableEventException e = assertThrows(UnreadableEventException.class,
                () -> EventCodec.decode("crosslink.Nope", "{}"));
        assertTrue(e.getMessage().contains("crosslink.Nope"));
        assertThrows(UnreadableEventException.class, () -> EventCodec.decode(null, "{}"));
    }

    @Test
    void brokenJsonIsUnreadableAndTheMessageNeverQuotesThePayload() {
        String secretish = "{\"eventId\":\"e\",\"connectionId\":\"c\",\"occurredAt\":\"not-a-time-SECRETVALUE\"}";
        UnreadableEventException e = assertThrows(UnreadableEventException.class,
                () -> EventCodec.decode("crosslink.KeystoreUpdated", secretish));
        assertFalse(e.getMessage().contains("SECRETVALUE"), e.getMessage());
        assertTrue(e.getMessage().contains("occurredAt"), e.getMessage());

        UnreadableEventException syntax = assertThrows(UnreadableEventException.class,
                () -> EventCodec.decode("crosslink.KeystoreUpdated", "{\"eventId\": SECRETVALUE"));
        assertFalse(syntax.getMessage().contains("SECRETVALUE"), syntax.getMessage());
    }

    @Test
    void missingRequiredFieldsAreUnreadable() {
        assertThrows(UnreadableEventException.class, () -> EventCodec.decode("crosslink.KeystoreUpdated",
                "{\"eventId\":\"e\",\"connectionId\":\"c\",\"occurredAt\":\"2026-11-28T12:00:00Z\"}"));
        assertThrows(UnreadableEventException.class, () -> EventCodec.decode("crosslink.KeystoreUpdated",
                "{\"connectionId\":\"c\",\"occurredAt\":\"2026-11-28T12:00:00Z\",\"settingName\":\"s\"}"));
        assertThrows(UnreadableEventException.class, () -> EventCodec.decode("crosslink.KeystoreUpdated", null));
    }

    @Test
    void unknownFieldsAreToleratedSoProducersCanAddFields() {
        ConnectionEvent event = EventCodec.decode("crosslink.KeystoreUpdated",
                "{\"eventId\":\"e\",\"connectionId\":\"c\",\"occurredAt\":\"2026-11-28T12:00:00Z\","
                        + "\"settingName\":\"cluster.remote.a.credentials\",\"addedLater\":1}");
        assertEquals("cluster.remote.a.credentials", ((ConnectionEvent.KeystoreUpdated) event).settingName());
    }

    @Test
    void documentAndSubmittedRequestRoundTrip() {
        ConnectionDocument document = Samples.document();
        assertEquals(document, EventCodec.read(EventCodec.encode(document), ConnectionDocument.class));
        SubmittedRequest submitted = Samples.submitted();
        SubmittedRequest read = EventCodec.read(EventCodec.encode(submitted), SubmittedRequest.class);
        assertEquals(submitted, read);
        assertEquals(Samples.request(), read.request());
    }

    @Test
    void rolesAreOptionalAndAbsentFromTheWireWhenThereAreNone() throws Exception {
        ConnectionEvent old = EventCodec.decode("crosslink.RemoteConnected",
                "{\"eventId\":\"e\",\"connectionId\":\"c\",\"occurredAt\":\"2026-11-28T12:00:00Z\",\"alias\":\"a\","
                        + "\"proxyAddress\":\"h:9443\",\"serverName\":\"h\",\"skipUnavailable\":true}");
        assertEquals(null, ((ConnectionEvent.RemoteConnected) old).roles());
        ConnectionRequest r = Samples.request();
        ConnectionRequest without = new ConnectionRequest(r.alias(), r.securityModel(), r.local(), r.remote(), r.access(),
                r.skipUnavailable());
        assertFalse(EventCodec.mapper().readTree(EventCodec.encode(without)).has("roles"));
        assertFalse(EventCodec.mapper().readTree(EventCodec.encode(new ConnectionRequest(r.alias(), r.securityModel(),
                r.local(), r.remote(), r.access(), r.skipUnavailable(), java.util.List.of()))).has("roles"));
        assertEquals(java.util.List.of(), without.rolesOrEmpty());
        JsonNode json = EventCodec.mapper().readTree(EventCodec.encode(r));
        assertEquals("eu-logs-reader", json.path("roles").get(0).path("name").asText());
        assertEquals("read", json.path("roles").get(0).path("indices").get(0).path("privileges").get(0).asText());
    }

    @Test
    void undoEventsCarryTheirChainAndOlderOnesWithoutOneStillRead() throws Exception {
        ConnectionEvent.KeyInvalidated current = (ConnectionEvent.KeyInvalidated) Samples.everyEvent()
                .get("crosslink.KeyInvalidated");
        JsonNode json = EventCodec.mapper().readTree(EventCodec.encode(current));
        assertEquals("e11", json.path("chain").path("id").asText());
        assertEquals("2026-11-28T12:15:00.123Z", json.path("chain").path("deadline").asText());
        ConnectionEvent old = EventCodec.decode("crosslink.KeyInvalidated",
                "{\"eventId\":\"e\",\"connectionId\":\"c\",\"occurredAt\":\"2026-11-28T12:00:00Z\",\"keyIds\":[],"
                        + "\"removed\":false}");
        assertEquals(null, ((ConnectionEvent.UndoDone) old).chain());
        assertFalse(EventCodec.mapper().readTree(EventCodec.encode(old)).has("chain"));
        UndoChain run = Samples.CHAIN;
        assertTrue(run.accepts(current.chain()));
        assertFalse(new UndoChain("e99", run.deadline()).accepts(current.chain()), "an answer of an earlier run");
        assertTrue(run.accepts(null), "an answer written before runs were told apart");
    }

    @Test
    void aRejectedDocumentReadsBackWithTheRequestAsFarAsItWasReadable() {
        ConnectionDocument rejected = Samples.rejectedAsRead();
        ConnectionDocument read = EventCodec.read(EventCodec.encode(rejected), ConnectionDocument.class);
        assertEquals(rejected, read);
        assertEquals(null, read.request().alias());
        assertEquals(null, read.request().local().deploymentId());
        assertThrows(UnreadableEventException.class, () -> EventCodec.read(EventCodec.encode(rejected.request()),
                ConnectionRequest.class), "a request on its own still needs every required field");
    }

    @Test
    void securityModelUsesSnakeCaseOnTheWire() {
        assertTrue(EventCodec.encode(Samples.request()).contains("\"securityModel\":\"api_key\""));
        assertEquals("cluster.remote.eu-logs.credentials", Samples.request().credentialsSetting());
    }

    @Test
    void sealedSecretNeverPrintsItsCiphertext() {
        SealedSecret sealed = new SealedSecret("k", "n", "CIPHERTEXT");
        assertFalse(sealed.toString().contains("CIPHERTEXT"));
    }
}
