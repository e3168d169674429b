package io.crosslink.key.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.elastic.ElasticErrors;
import io.crosslink.runtime.elastic.RetryAfter;
import io.crosslink.key.config.KeyServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@link ElasticClient} on the JDK HTTP client: the Elasticsearch URL differs per deployment and is only known
 * at run time, the calls are three small JSON requests, and http and https (system trust store) both work.
 * Every call is bounded by {@code crosslink.elastic.connect-timeout} and {@code request-timeout}. Retries of whole
 * attempts are the work handlers' (their items park in between); a {@code Retry-After} of the answer travels with
 * the exception for their backoff. The idempotent calls (the lookup and the invalidation) are also sent again at
 * once, up to {@code crosslink.elastic.idempotent-call-retries} times, after an answered transient error or a
 * dropped connection, so that one lost answer does not cost a whole run; never after a timeout or a refused
 * connection (a slow or absent deployment: the worker is given back instead), never with a pause. The create is
 * not repeated here, as only the caller can repeat it safely (it looks for a lost key first).
 */
@ApplicationScoped
public class JdkElasticClient implements ElasticClient {
    private static final Logger LOG = Logger.getLogger(JdkElasticClient.class);
    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final KeyServiceConfig config;
    private final HttpClient http;

    public JdkElasticClient(KeyServiceConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.elastic().connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public CreatedApiKey createCrossClusterApiKey(String deploymentId, CrossClusterApiKeyRequest request) {
        Target target = target(deploymentId);
        JsonNode answer = send(target, "POST", "/_security/cross_cluster/api_key", request.toJson());
        String id = answer.path("id").asText(null);
        String name = answer.path("name").asText(request.name());
        String encoded = answer.path("encoded").asText(null);
        if (id == null || encoded == null) {
            // The answer holds the secret: say what is missing, never echo it.
            throw ElasticCallException.of(new StepFailure("unexpected_response",
                    "create cross-cluster API key answered without id or encoded value", 200, false));
        }
        return new CreatedApiKey(id, name, encoded);
    }

    @Override
    public List<ApiKeyInfo> activeApiKeys(String deploymentId, String name) {
        return idempotent("GET /_security/api_key", deploymentId, () -> lookup(deploymentId, name));
    }

    private List<ApiKeyInfo> lookup(String deploymentId, String name) {
        Target target = target(deploymentId);
        JsonNode answer = send(target, "GET", "/_security/api_key?active_only=true&name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
        List<ApiKeyInfo> keys = new ArrayList<>();
        for (JsonNode key : answer.path("api_keys")) {
            // "name" takes wildcards; the caller wants exactly this name.
            if (name.equals(key.path("name").asText()) && !key.path("invalidated").asBoolean(false)) {
                keys.add(new ApiKeyInfo(key.path("id").asText(), key.path("name").asText(),
                        JSON.convertValue(key.path("metadata"), MAP)));
            }
        }
        return keys;
    }

    @Override
    public List<String> invalidateApiKeys(String deploymentId, List<String> ids) {
        return idempotent("DELETE /_security/api_key", deploymentId, () -> invalidate(deploymentId, ids));
    }

    private List<String> invalidate(String deploymentId, List<String> ids) {
        Target target = target(deploymentId);
        JsonNode answer;
        try {
            answer = send(target, "DELETE", "/_security/api_key", write(Map.of("ids", ids)));
        } catch (ElasticCallException e) {
            if ("resource_not_found_exception".equals(e.failure().type())) {
                return List.of(); // none of the keys exists (any more): nothing to invalidate
            }
            throw e;
        }
        if (answer.path("error_count").asInt(0) > 0) {
            JsonNode error = answer.path("error_details").path(0);
            JsonNode cause = error.path("caused_by").isObject() ? error.path("caused_by") : error;
            throw ElasticCallException.of(new StepFailure(cause.path("type").asText("invalidation_failed"),
                    "invalidating API keys " + ids + " failed: " + cause.path("reason").asText(), 200, false));
        }
        List<String> invalidated = new ArrayList<>();
        answer.path("invalidated_api_keys").forEach(id -> invalidated.add(id.asText()));
        return invalidated;
    }

    /** Sends an idempotent call again at once after a transient failure that says nothing about waiting. */
    private <T> T idempotent(String call, String deploymentId, Supplier<T> send) {
        int retries = config.elastic().idempotentCallRetries();
        for (int retry = 0;; retry++) {
            try {
                return send.get();
            } catch (TransientElasticCallException e) {
                if (retry >= retries || !worthSendingAgainAtOnce(e)) {
                    throw e;
                }
                LOG.debugf("%s on deployment %s failed (%s), sending it again (%d of %d)", call, deploymentId,
                        e.failure().type(), retry + 1, retries);
            }
        }
    }

    /**
     * An answered 5xx/429/408 or a dropped connection: the next call may well pass. Not a timeout or a refused
     * connection (the same again would only hold the worker longer), not an answer that asks to wait.
     */
    static boolean worthSendingAgainAtOnce(ElasticCallException e) {
        String type = e.failure().type();
        return e.failure().retryable() && e.retryAfter().isEmpty() && !"timeout".equals(type)
                && !"connection_refused".equals(type);
    }

    private JsonNode send(Target target, String method, String pathAndQuery, String body) {
        HttpRequest request = HttpRequest.newBuilder(target.resolve(pathAndQuery))
                .timeout(config.elastic().requestTimeout())
                .header("Authorization", target.authorization())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // No answer: say where from, as the exception alone may say just "ConnectException".
            StepFailure failure = ElasticErrors.fromException(e, target.password());
            throw failed(target, method, pathAndQuery, new StepFailure(failure.type(), "no answer from "
                    + target.displayUrl() + " (deployment " + target.deploymentId() + "): " + failure.reason(),
                    null, failure.retryable()));
        } catch (InterruptedException e) {
            // The worker is being stopped (shutdown); keep the flag.
            Thread.currentThread().interrupt();
            throw ElasticCallException.of(new StepFailure("timeout", method + " " + pathWithoutQuery(pathAndQuery)
                    + " on " + target.deploymentId() + " was interrupted", null, true));
        }
        int status = response.statusCode();
        if (status == 404 && "GET".equals(method)) {
            return JSON.createObjectNode(); // nothing matched (older versions answer 404 instead of an empty list)
        }
        if (status < 200 || status >= 300) {
            throw failed(target, method, pathAndQuery,
                    ElasticErrors.fromResponse(status, response.body(), target.password()),
                    retryAfter(response).orElse(null));
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw ElasticCallException.of(new StepFailure("unexpected_response", method + " "
                    + pathWithoutQuery(pathAndQuery) + " answered " + status + " with a body that is not JSON",
                    status, false));
        }
    }

    private static ElasticCallException failed(Target target, String method, String pathAndQuery, StepFailure failure) {
        return failed(target, method, pathAndQuery, failure, null);
    }

    private static ElasticCallException failed(Target target, String method, String pathAndQuery, StepFailure failure,
            Duration retryAfter) {
        LOG.debugf("%s %s on deployment %s failed (%s, retryable %s%s): %s", method, pathWithoutQuery(pathAndQuery),
                target.deploymentId(), failure.type(), failure.retryable(),
                retryAfter == null ? "" : ", retry after " + retryAfter, failure.reason());
        return ElasticCallException.of(failure, retryAfter);
    }

    /** {@code Retry-After} in seconds or as an HTTP date (RFC 9110), when the answer has one. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC());
    }

    private Target target(String deploymentId) {
        KeyServiceConfig.DeploymentAccess access = config.deployments().get(deploymentId);
        if (access == null) {
            throw ElasticCallException.of(new StepFailure("deployment_not_configured",
                    "key-service has no Elasticsearch access for deployment " + deploymentId
                            + " (crosslink.deployments." + deploymentId + ".elasticsearch-url, username, password)",
                    null, false));
        }
        return new Target(deploymentId, access.elasticsearchUrl(), access.username(), access.password());
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName(), e);
        }
    }

    private static String pathWithoutQuery(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private record Target(String deploymentId, URI baseUrl, String username, String password) {
        URI resolve(String pathAndQuery) {
            String base = baseUrl.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
        }

        String authorization() {
            return "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        /** The URL without user info, for messages. */
        String displayUrl() {
            return baseUrl.getScheme() + "://" + baseUrl.getHost() + (baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort())
                    + (baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath());
        }

        @Override
        public String toString() {
            return "Target[" + deploymentId + " " + displayUrl() + "]";
        }
    }
}
