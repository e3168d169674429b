package io.crosslink.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.elastic.support.StubServer;
import io.crosslink.elastic.support.StubServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every call to Elastic is timed and counted by API, outcome and error type: against scripted stub answers. */
@QuarkusTest
@QuarkusTestResource(value = StubServers.class, restrictToAnnotatedClass = true)
class ElasticCallMetricsTest {
    static final String API_KEY = "essu_c2VjcmV0LWNsb3VkLWFwaS1rZXk=";
    static final String PASSWORD = "s3cret-password";

    @Inject
    CloudApi cloud;
    @Inject
    ElasticsearchApi elasticsearch;
    @Inject
    MeterRegistry registry;
    @Inject
    PrometheusMeterRegistry prometheus;

    StubServer server;

    @BeforeEach
    void reset() {
        server = StubServers.http;
        server.reset();
    }

    CloudTarget cloudTarget() {
        return new CloudTarget("ece", server.uri(), API_KEY, Optional.empty());
    }

    ElasticsearchTarget esTarget() {
        return new ElasticsearchTarget("c0ffee", server.uri(), "crosslink", PASSWORD, Optional.empty());
    }

    private long calls(String api, String outcome, String errorType) {
        Timer timer = registry.find(ElasticCallMetrics.NAME)
                .tags("api", api, "outcome", outcome, "error_type", errorType).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void eachSendIsCountedByApiOutcomeAndElasticsErrorType() {
        String account = "GET /api/v1/account";
        String role = "GET /_security/role/{name}";
        long ok = calls(account, "success", "none");
        long unavailable = calls(account, "server_error", "http_503");
        long missing = calls(role, "client_error", "resource_not_found_exception");

        server.reply(503, "{}").reply(200, "{\"id\":\"acc\"}");
        assertEquals(200, cloud.account(cloudTarget()).status());
        server.reply(404, "{\"error\":{\"type\":\"resource_not_found_exception\",\"reason\":\"role [r] not found\"},"
                + "\"status\":404}");
        assertEquals(404, elasticsearch.role(esTarget(), "r").status());

        assertEquals(unavailable + 1, calls(account, "server_error", "http_503"), "the first send");
        assertEquals(ok + 1, calls(account, "success", "none"), "the send again, answered");
        assertEquals(missing + 1, calls(role, "client_error", "resource_not_found_exception"));
        Timer timer = registry.find(ElasticCallMetrics.NAME).tags("api", account, "outcome", "success").timer();
        assertTrue(timer.totalTime(TimeUnit.NANOSECONDS) > 0, "latency recorded");
    }

    @Test
    void callsWithoutAnAnswerAreTimeoutsOrIo() {
        String account = "GET /api/v1/account";
        long timeouts = calls(account, "timeout", "timeout");
        server.replyAfter(3000, 200, "{}");
        assertThrows(TransientElasticCallException.class, () -> cloud.account(cloudTarget()));
        assertEquals(timeouts + 1, calls(account, "timeout", "timeout"));

        String update = "PUT /api/v1/deployments/{id}";
        double io = registry.find(ElasticCallMetrics.NAME).tags("api", update, "outcome", "io").timers().stream()
                .mapToLong(Timer::count).sum();
        server.drop();
        assertThrows(TransientElasticCallException.class,
                () -> cloud.updateDeployment(cloudTarget(), "c0ffee", "3", "{}"));
        double after = registry.find(ElasticCallMetrics.NAME).tags("api", update, "outcome", "io").timers().stream()
                .mapToLong(Timer::count).sum();
        assertEquals(io + 1, after, "a dropped connection (sent once: not idempotent)");
    }

    @Test
    void anErrorTypeThatIsNoIdentifierIsOtherAndNeverReachesTheMetrics() {
        String role = "GET /_security/role/{name}";
        long other = calls(role, "client_error", "other");
        server.reply(400, "{\"error\":{\"type\":\"ApiKey " + API_KEY + "\",\"reason\":\"x\"}}");
        elasticsearch.role(esTarget(), "r");

        assertEquals(other + 1, calls(role, "client_error", "other"));
        String scrape = prometheus.scrape();
        assertFalse(scrape.contains(API_KEY), "a secret in the metrics");
        assertFalse(scrape.contains(PASSWORD), "a secret in the metrics");
        assertTrue(scrape.contains("crosslink_elastic_calls_seconds_count{"), "the Prometheus name the dashboard uses");
        assertTrue(scrape.contains("crosslink_elastic_calls_seconds_bucket{"), "latency buckets");
    }
}
