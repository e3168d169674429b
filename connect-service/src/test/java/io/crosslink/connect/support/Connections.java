package io.crosslink.connect.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Waiting for asynchronous results through the REST API. */
public final class Connections {

    private Connections() {
    }

    /** Posts a request and waits for its checks: the saga has started (ConnectionRequested). */
    public static String requested(com.fasterxml.jackson.databind.JsonNode body) {
        String id = given().contentType(io.restassured.http.ContentType.JSON).body(body.toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");
        awaitStatus(id, "REQUESTED", "validate");
        return id;
    }

    /** The connection's timeline: the event names, in order. */
    public static List<String> events(String id) {
        return given().get("/api/v1/connections/{id}", id).then().statusCode(200).extract().path("timeline.event");
    }

    /** Waits until the connection's timeline has {@code count} entries of this event. */
    public static void awaitTimeline(String id, String event, int count) {
        await().atMost(KafkaTestClient.WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> events = events(id);
            assertEquals(count, events.stream().filter(event::equals).count(), String.valueOf(events));
        });
    }

    /** Waits until the connection is in {@code status} with a timeline entry of {@code step}. */
    @SuppressWarnings("unchecked")
    public static void awaitStatus(String id, String status, String step) {
        await().atMost(KafkaTestClient.WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, Object> document = given().get("/api/v1/connections/{id}", id).then().statusCode(200)
                    .extract().as(Map.class);
            assertEquals(status, document.get("status"), String.valueOf(document));
            assertTrue(((List<Map<String, Object>>) document.get("timeline")).stream()
                    .anyMatch(e -> step.equals(e.get("step"))), String.valueOf(document));
        });
    }
}
