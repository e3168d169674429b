package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.infra.ElasticsearchNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Calls a node's REST API as the superuser cloud-sim created on it. */
@ApplicationScoped
public class ElasticsearchHttp {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;

    public ElasticsearchHttp(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public record Response(int status, String contentType, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends a request; the path includes the query string. */
    public Response send(ElasticsearchNode node, String method, String pathAndQuery, byte[] body) {
        HttpRequest.BodyPublisher publisher = body == null || body.length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpUri() + ensureSlash(pathAndQuery)))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", basic(node))
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
        } catch (IOException e) {
            throw new CloudApiException(500, "clusters.cluster_unreachable",
                    "The Elasticsearch cluster cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudApiException(500, "clusters.cluster_unreachable", "Interrupted");
        }
    }

    /** Sends a JSON request and fails with {@code deployments.cluster_request_failed} (as Cloud does) on an error. */
    public JsonNode json(ElasticsearchNode node, String method, String pathAndQuery, Object body) {
        try {
            byte[] payload = body == null ? null : mapper.writeValueAsBytes(body);
            Response response = send(node, method, pathAndQuery, payload);
            if (!response.ok()) {
                throw new CloudApiException(response.status() >= 500 ? 500 : 400, "deployments.cluster_request_failed",
                        "There was an error executing the request against the cluster. [Response: " + response.text() + "]");
            }
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new CloudApiException(500, "deployments.cluster_request_failed", "Unreadable Elasticsearch response");
        }
    }

    public static String basic(ElasticsearchNode node) {
        String credentials = node.username() + ":" + node.password();
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static String ensureSlash(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }
}
