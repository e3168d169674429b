package io.crosslink.cloudsim.passthrough;

import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.service.DeploymentRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Each deployment's {@code service_url}: an HTTP listener on the node's own address (port 9243, like
 * Elastic Cloud's HTTPS endpoint) that forwards every request to the node unchanged. Callers bring their
 * own credentials. It is the place where faults are injected between the services and Elasticsearch.
 */
@ApplicationScoped
public class ElasticsearchPassThrough {
    private static final Logger LOG = Logger.getLogger(ElasticsearchPassThrough.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "proxy-connection", "te", "trailer");

    private final Vertx vertx;
    private final SimConfig config;
    private final DeploymentRegistry registry;
    private final List<HttpServer> servers = new ArrayList<>();
    private HttpClient client;

    public ElasticsearchPassThrough(Vertx vertx, SimConfig config, DeploymentRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
    }

    void onStart(@Observes @Priority(200) StartupEvent event) {
        if (!config.startNodes()) {
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(32));
        for (SimDeployment deployment : registry.all()) {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                    .setHost(deployment.endpoint()).setPort(config.passthroughPort()));
            server.requestHandler(request -> forward(deployment, request));
            server.listen().toCompletionStage().toCompletableFuture().join();
            servers.add(server);
            LOG.infof("pass-through for %s on http://%s:%d", deployment.config().name(), deployment.endpoint(),
                    config.passthroughPort());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        servers.forEach(server -> server.close().toCompletionStage().toCompletableFuture().join());
        if (client != null) {
            client.close();
        }
    }

    private void forward(SimDeployment deployment, HttpServerRequest request) {
        request.pause();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(deployment.endpoint())
                .setPort(deployment.node().httpUri().getPort())
                .setURI(request.uri());
        client.request(options).onSuccess(upstream -> {
            request.headers().forEach(header -> {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                    upstream.headers().add(header.getKey(), header.getValue());
                }
            });
            upstream.send(request).onSuccess(answer -> {
                var response = request.response().setStatusCode(answer.statusCode());
                answer.headers().forEach(header -> {
                    if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                        response.headers().add(header.getKey(), header.getValue());
                    }
                });
                response.send(answer);
            }).onFailure(failure -> badGateway(request, failure));
        }).onFailure(failure -> badGateway(request, failure));
    }

    private static void badGateway(HttpServerRequest request, Throwable failure) {
        if (!request.response().headWritten()) {
            request.response().setStatusCode(502).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"upstream Elasticsearch unavailable\",\"status\":502}");
        } else {
            request.connection().close();
        }
        LOG.debugf("pass-through failed: %s", failure.getMessage());
    }
}
