package io.crosslink.verify.client;

import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.elastic.ElasticErrors;
import io.crosslink.verify.config.DeploymentsConfig;
import io.crosslink.verify.config.ElasticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * {@link ElasticsearchClient} on the JDK HTTP client: the Elasticsearch URL differs per deployment and is
 * known only at run time, the calls are small GETs, and http and https (system trust store) both work.
 *
 * <p>A transient failure of one call (no answer, 408, 429, 5xx) that comes quickly is retried here, at most twice
 * within a couple of seconds ({@code maxDuration}: a call that took longer, a timeout say, is not repeated), so one
 * lost call does not cost a whole attempt of three calls. Everything else is retried by the verification's work
 * item, parked between attempts on the dispatcher: no worker sits in a backoff here for long. Each call is bounded
 * by {@code crosslink.elastic.request-timeout}. A 5xx that says the remote cluster is unreachable is an answer, not
 * a lost call ({@link #remoteUnreachable}), and is returned at once. Overridable with
 * {@code quarkus.fault-tolerance."io.crosslink.verify.client.JdkElasticsearchClient/get".retry.*}.
 */
@ApplicationScoped
public class JdkElasticsearchClient implements ElasticsearchClient {
    private static final Set<String> REMOTE_UNREACHABLE = Set.of("no_seed_node_left_exception",
            "connect_transport_exception", "node_not_connected_exception", "node_disconnected_exception");

    private final DeploymentsConfig deployments;
    private final ElasticConfig elastic;
    private final HttpClient http;

    public JdkElasticsearchClient(DeploymentsConfig deployments, ElasticConfig elastic) {
        this.deployments = deployments;
        this.elastic = elastic;
        this.http = HttpClient.newBuilder()
                .connectTimeout(elastic.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    @Retry(retryOn = TransientElasticCallException.class, maxRetries = 2, delay = 200, jitter = 100,
            maxDuration = 3, durationUnit = ChronoUnit.SECONDS)
    @ExponentialBackoff(maxDelay = 1, maxDelayUnit = ChronoUnit.SECONDS)
    public ElasticAnswer get(String deploymentId, String pathAndQuery) {
        DeploymentsConfig.DeploymentAccess access = deployments.byId().get(deploymentId);
        if (access == null) {
            throw new ElasticCallException(new StepFailure("deployment_not_configured",
                    "verify-service has no Elasticsearch access for deployment " + deploymentId + " (crosslink.deployments."
                            + deploymentId + ".elasticsearch-url, username, password)", null, false));
        }
        HttpRequest request = HttpRequest.newBuilder(resolve(access.elasticsearchUrl(), pathAndQuery))
                .timeout(elastic.requestTimeout())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (access.username() + ":" + access.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            int status = response.statusCode();
            if (ElasticErrors.transientStatus(status) && !remoteUnreachable(response.body())) {
                StepFailure failure = ElasticErrors.fromResponse(status, response.body());
                throw new TransientElasticCallException(new StepFailure(failure.type(), "GET "
                        + withoutQuery(pathAndQuery) + " on " + deploymentId + ": " + failure.reason(), status, true),
                        new ElasticAnswer(status, response.body()));
            }
            return new ElasticAnswer(status, response.body());
        } catch (IOException e) {
            StepFailure failure = ElasticErrors.fromException(e, access.password());
            throw failure.retryable() ? new TransientElasticCallException(failure) : new ElasticCallException(failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElasticCallException(new StepFailure("interrupted", "GET " + withoutQuery(pathAndQuery) + " on "
                    + deploymentId + " was interrupted", null, true));
        }
    }

    /**
     * A cross-cluster call on a remote with {@code skip_unavailable: false} that L could not connect to answers 500
     * (e.g. {@code no_seed_node_left_exception}, the TLS cause in its chain, ~1 s per try): Elasticsearch's verdict
     * on R, not a lost call. Returned as it is: the verification's next attempt tries again, reconnecting first.
     */
    static boolean remoteUnreachable(String body) {
        if (body == null || !body.contains("_exception")) {
            return false;
        }
        try {
            return REMOTE_UNREACHABLE.contains(EventCodec.mapper().readTree(body).path("error").path("type").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static URI resolve(URI base, String pathAndQuery) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + pathAndQuery);
    }

    private static String withoutQuery(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
