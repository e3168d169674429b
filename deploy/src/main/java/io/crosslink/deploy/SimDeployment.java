package io.crosslink.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A deployment cloud-sim plays, as {@code GET /sim/deployments} lists it: what a deployment's creator learns
 * once (service_url, superuser), which the launchers hand to the services. {@code elasticsearchUrl} is the node
 * itself, behind the service_url pass-through (where cloud-sim injects faults): tests read the real state there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimDeployment(String key, String id, String name, String environment, String environmentKind,
        String refId, String clusterId, String endpoint, String serviceUrl, String elasticsearchUrl, String username, String password,
        /** What the node reports in {@code _nodes/_local} (the configured version until it has started). */
        String version) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Every deployment of the cloud-sim at {@code cloudSimUrl}; each must have its node running. */
    public static List<SimDeployment> fetch(String cloudSimUrl) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(cloudSimUrl + "/sim/deployments")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + cloudSimUrl + "/sim/deployments answered " + response.statusCode());
            }
            List<SimDeployment> deployments = List.of(MAPPER.readValue(response.body(), SimDeployment[].class));
            for (SimDeployment deployment : deployments) {
                if (deployment.username() == null || deployment.password() == null) {
                    throw new IllegalStateException("cloud-sim has no running node for deployment " + deployment.name());
                }
            }
            return deployments;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + cloudSimUrl + "/sim/deployments: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The password stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "SimDeployment[" + name + " " + id + " (" + environment + "), " + serviceUrl + ", user " + username + "]";
    }
}
