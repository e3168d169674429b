package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Requests;
import io.crosslink.events.ConnectionStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard (deploy/grafana/crosslink-dashboard.json) shows only metrics the services export: every
 * metric name in its PromQL is in the {@code /q/metrics} of each service that should export it, read on their
 * management ports after a saga ran through all four (so every traffic-born series exists since their last restart).
 */
@Order(30)
class DashboardMetricsTest extends ReliabilityScenario {
    private static final String ALIAS = "e2e-dashboard";
    private static final Pattern METRIC = Pattern.compile("\\bcrosslink_[a-z0-9_]+");

    @Test
    void everyMetricTheDashboardUsesIsExportedByTheServicesThatOwnIt() throws IOException {
        String id = connect.submit(Requests.demo(ALIAS).toString());
        connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        connect.delete(id);
        connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);

        Set<String> used = metricsOf(dashboard());
        assertTrue(used.size() >= 10, "the dashboard's metrics: " + used);
        List<String> missing = new ArrayList<>();
        for (CrosslinkService service : CrosslinkService.values()) {
            String scrape = scrape(service);
            for (String metric : used) {
                if (exporters(metric).contains(service) && !exported(scrape, metric)) {
                    missing.add(service + ": " + metric);
                }
            }
        }
        assertEquals(List.of(), missing, "metrics the dashboard uses and a service does not export");

        String connectMetrics = scrape(CrosslinkService.CONNECT);
        assertTrue(connectMetrics.lines().anyMatch(line -> line.startsWith("crosslink_saga_duration_seconds_count{")
                && line.contains("model=\"api_key\"") && line.contains("outcome=\"verified\"")
                && !line.endsWith(" 0.0")), "a verified saga's duration is recorded");
        assertFalse(connectMetrics.contains(id), "a connection id in the metrics (never a tag)");
    }

    /** Connection status and saga duration are connect-service's; everything else comes from the shared runtime. */
    static Set<CrosslinkService> exporters(String metric) {
        return metric.startsWith("crosslink_saga_") || metric.startsWith("crosslink_connections")
                ? EnumSet.of(CrosslinkService.CONNECT) : EnumSet.allOf(CrosslinkService.class);
    }

    static JsonNode dashboard() throws IOException {
        Path root = Path.of(System.getProperty("crosslink.root", ".."));
        return new ObjectMapper().readTree(root.resolve("deploy/grafana/crosslink-dashboard.json").toFile());
    }

    /** The metric names in every PromQL expression of the dashboard's panels (rows' panels included). */
    static Set<String> metricsOf(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher matcher = METRIC.matcher(expr.asText());
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    private String scrape(CrosslinkService service) {
        Http.Response metrics = Http.get(stack.service(service).managementUrl() + "/q/metrics");
        assertEquals(200, metrics.status(), service + " " + metrics);
        return metrics.body();
    }

    /** A sample of the metric: {@code name{labels} value} or {@code name value}. */
    static boolean exported(String scrape, String metric) {
        return scrape.lines().anyMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "));
    }
}
