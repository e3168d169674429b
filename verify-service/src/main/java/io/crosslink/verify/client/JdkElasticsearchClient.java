package io.crosslink.verify.client;

import io.crosslink.events.StepFailure;
import io.crosslink.verify.config.DeploymentsConfig;
import io.crosslink.verify.config.ElasticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@link ElasticsearchClient} on the JDK HTTP client: the Elasticsearch URL differs per deployment and is
 * known only at run time, the calls are small GETs, and http and https (system trust store) both work. Retries
 * are the verification job's: it is durable and has a deadline.
 */
@ApplicationScoped
public class JdkElasticsearchClient implements ElasticsearchClient {
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
            return new ElasticAnswer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw ElasticCallException.fromException(e, access.password());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElasticCallException(new StepFailure("interrupted", "GET " + withoutQuery(pathAndQuery) + " on "
                    + deploymentId + " was interrupted", null, true));
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
