package io.crosslink.connect.service;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.between;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.metrics.DatabaseGauges;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * connect-service's metrics on real PostgreSQL and Kafka (the Cloud API is {@link ElasticStandIn}): a saga's duration
 * once it ends, connections by status, Elastic calls, dead letters, and every metric of the Grafana dashboard
 * (deploy/grafana/crosslink-dashboard.json) in its {@code /q/metrics} on the management port.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class SagaMetricsTest {
    private static final Pattern METRIC = Pattern.compile("\\bcrosslink_[a-z0-9_]+");
    private static final String MISSING_REMOTE = "ffffffffffffffffffffffffffffffff";

    @Inject
    MeterRegistry registry;

    @Inject
    DatabaseGauges gauges;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    // The management interface is rooted at /q already.
    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    private String rejectedConnection() {
        String id = given().contentType(ContentType.JSON)
                .body(between(alias("metrics"), ElasticStandIn.LOCAL, MISSING_REMOTE).toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");
        awaitStatus(id, "REJECTED", "validate");
        return id;
    }

    private long sagas(String model, String outcome) {
        return registry.find(SagaMetrics.DURATION).tags("model", model, "outcome", outcome).timer().count();
    }

    private long elasticCalls(String api, String outcome) {
        return registry.find("crosslink.elastic.calls").tags("api", api, "outcome", outcome).timers().stream()
                .mapToLong(Timer::count).sum();
    }

    @Test
    void aRejectedSagaIsTimedOnceWithItsModelAndOutcomeAndItsCloudCallsAreCounted() {
        String deployment = "GET /api/v1/deployments/{id}";
        long rejected = sagas("api_key", "rejected");
        long otherModel = sagas("tls_certificate", "rejected");
        long found = elasticCalls(deployment, "success");
        long notFound = elasticCalls(deployment, "client_error");

        String id = rejectedConnection();

        await().atMost(KafkaTestClient.WAIT).until(() -> sagas("api_key", "rejected") == rejected + 1);
        assertEquals(otherModel, sagas("tls_certificate", "rejected"), "tagged with its own model only");
        assertTrue(elasticCalls(deployment, "success") >= found + 1, "the local deployment was read");
        assertTrue(elasticCalls(deployment, "client_error") >= notFound + 1, "the missing remote answered 404");
        // A DELETE of a REJECTED connection ends no saga: the duration is recorded once.
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202);
        assertEquals(rejected + 1, sagas("api_key", "rejected"));
    }

    @Test
    void connectionsByStatusAreTheDatabasesCounts() {
        rejectedConnection();
        gauges.refresh();
        for (ConnectionStatus status : ConnectionStatus.values()) {
            long stored = QuarkusTransaction.requiringNew().call(() -> Connection.count("status", status));
            double shown = registry.find(SagaMetrics.CONNECTIONS).tags("status", status.name()).gauge().value();
            assertEquals(stored, (long) shown, status.name());
        }
        assertTrue(registry.find(SagaMetrics.CONNECTIONS).tags("status", "REJECTED").gauge().value() >= 1);
    }

    @Test
    void aRecordThatIsNoRequestIsCountedAsADeadLetterOfItsTopic() {
        double before = registry.find("crosslink.dead.letters").tags("topic", "connection-requests").counter().count();
        new KafkaTestClient(bootstrapServers).request(alias("metrics-dlq"), "{not json");
        await().atMost(KafkaTestClient.WAIT).until(() -> registry.find("crosslink.dead.letters")
                .tags("topic", "connection-requests").counter().count() == before + 1);
        assertTrue(registry.find("crosslink.dead.letters").tags("topic", "key-events").counter() != null,
                "every dead-lettering channel has its counter from the start");
    }

    @Test
    void everyMetricOfTheDashboardIsInTheManagementPortsMetrics() throws IOException {
        String id = rejectedConnection(); // Cloud API calls, a work item, a saga's end
        gauges.refresh();

        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        List<String> missing = new ArrayList<>();
        for (String metric : dashboardMetrics()) {
            if (scrape.lines().noneMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
                missing.add(metric);
            }
        }
        assertEquals(List.of(), missing, "metrics of the dashboard that connect-service does not export");
        assertFalse(scrape.contains(id), "a connection id is never a tag");
        assertFalse(scrape.contains(ElasticStandIn.ECE_KEY) || scrape.contains(ElasticStandIn.ES_PASSWORD),
                "a secret in the metrics");
    }

    /** The metric names in the dashboard's PromQL; connect-service exports them all (the shared ones too). */
    static Set<String> dashboardMetrics() throws IOException {
        Path root = Path.of(System.getProperty("crosslink.root", ".."));
        JsonNode dashboard = EventCodec.mapper().readTree(
                Files.readString(root.resolve("deploy/grafana/crosslink-dashboard.json")));
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher matcher = METRIC.matcher(expr.asText());
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        assertTrue(names.size() >= 10, "the dashboard's metrics: " + names);
        return names;
    }
}
