package io.crosslink.cloudsim.passthrough;

import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.Fault;
import io.crosslink.cloudsim.domain.FaultPhase;
import io.crosslink.cloudsim.domain.FaultSpec;
import io.crosslink.cloudsim.domain.FaultTarget;
import io.crosslink.cloudsim.domain.FaultedCall;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.service.DeploymentRegistry;
import io.crosslink.cloudsim.service.FaultInjector;
import io.crosslink.cloudsim.service.FaultReplies;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Each deployment's {@code service_url}: an HTTP listener on the node's own address (port 9243, like
 * Elastic Cloud's HTTPS endpoint) that forwards every request to the node unchanged. Callers bring their
 * own credentials. It is the place where faults are injected between the services and Elasticsearch
 * (target {@code elasticsearch}, matched on the Elasticsearch path); the node behind stays real.
 */
@ApplicationScoped
public class ElasticsearchPassThrough {
    private static final Logger LOG = Logger.getLogger(ElasticsearchPassThrough.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "proxy-connection", "te", "trailer");

    private final Vertx vertx;
    private final SimConfig config;
    private final DeploymentRegistry registry;
    private final FaultInjector faults;
    private final FaultReplies replies;
    private final List<HttpServer> servers = new ArrayList<>();
    private HttpClient client;

    public ElasticsearchPassThrough(Vertx vertx, SimConfig config, DeploymentRegistry registry, FaultInjector faults,
            FaultReplies replies) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.faults = faults;
        this.replies = replies;
    }

    void onStart(@Observes @Priority(200) StartupEvent event) {
        if (!config.startNodes()) {
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(32));
        for (SimDeployment deployment : registry.all()) {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                    .setHost(deployment.endpoint()).setPort(config.passthroughPort()));
            server.requestHandler(request -> handle(deployment, request));
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

    private void handle(SimDeployment deployment, HttpServerRequest request) {
        request.pause();
        FaultedCall call = new FaultedCall(FaultTarget.ELASTICSEARCH, deployment.id(), request.method().name(),
                new QueryStringDecoder(request.uri()).path());
        Optional<Fault> claimed = faults.claim(call);
        if (claimed.isEmpty()) {
            forward(deployment, request).onSuccess(answer -> relay(request, answer))
                    .onFailure(failure -> badGateway(request, failure));
            return;
        }
        Fault fault = claimed.get();
        FaultSpec spec = fault.spec();
        if (spec.phase() == FaultPhase.BEFORE) {
            later(spec.latencyMs(), () -> {
                if (spec.drop()) {
                    request.connection().close();
                } else if (spec.status() != null) {
                    answerUnforwarded(request, replies.reply(fault, call.target()));
                } else {
                    forward(deployment, request).onSuccess(answer -> relay(request, answer))
                            .onFailure(failure -> badGateway(request, failure));
                }
            });
            return;
        }
        forward(deployment, request).onSuccess(answer -> later(spec.latencyMs(), () -> {
            if (spec.drop()) {
                request.connection().close();
            } else if (spec.status() != null) {
                answer(request, replies.reply(fault, call.target()));
            } else {
                relay(request, answer);
            }
        })).onFailure(failure -> badGateway(request, failure));
    }

    /** Elasticsearch's complete answer: once it is here, the node has acted on the request. */
    private record Answer(int status, MultiMap headers, Buffer body) {
    }

    private Future<Answer> forward(SimDeployment deployment, HttpServerRequest request) {
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(deployment.endpoint())
                .setPort(deployment.node().httpUri().getPort())
                .setURI(request.uri());
        return client.request(options).compose(upstream -> {
            request.headers().forEach(header -> {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                    upstream.headers().add(header.getKey(), header.getValue());
                }
            });
            return upstream.send(request)
                    .compose(answer -> answer.body().map(body -> new Answer(answer.statusCode(), answer.headers(), body)));
        });
    }

    private static void relay(HttpServerRequest request, Answer answer) {
        HttpServerResponse response = request.response().setStatusCode(answer.status());
        // The body is sent in one piece: its length is recomputed, except for HEAD, which announces a length only.
        boolean keepLength = request.method() == HttpMethod.HEAD;
        answer.headers().forEach(header -> {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())
                    && (keepLength || !"content-length".equalsIgnoreCase(header.getKey()))) {
                response.headers().add(header.getKey(), header.getValue());
            }
        });
        response.end(answer.body());
    }

    /** Reads (and discards) the request body first, so the kept-alive connection stays usable. */
    private static void answerUnforwarded(HttpServerRequest request, FaultReplies.Reply reply) {
        request.body().onComplete(ignored -> answer(request, reply));
        request.resume();
    }

    private static void answer(HttpServerRequest request, FaultReplies.Reply reply) {
        HttpServerResponse response = request.response().setStatusCode(reply.status())
                .putHeader("Content-Type", reply.contentType());
        reply.headers().forEach(response::putHeader);
        response.end(reply.body());
    }

    private void later(long delayMs, Runnable action) {
        if (delayMs > 0) {
            vertx.setTimer(delayMs, id -> action.run());
        } else {
            action.run();
        }
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
