package io.crosslink.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.secret.SecretBox;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the keystore endpoint of a Cloud API (environment {@code ece}) for the Quarkus tests, recording every
 * request; the real cloud-sim with real nodes is exercised end to end by the e2e module. Also supplies a fresh
 * data key. Quarkus may load test resources in another class loader than the test, so tests talk to it over
 * HTTP: {@code GET /_test/requests} lists what it received (in order of arrival),
 * {@code POST /_test/script/{deploymentId}} queues answers ({@code [{"status":503}, {"status":400,"echo":true},
 * {"delayMs":3000}, {"hold":true}]}) for the next PATCHes of a deployment; without a status (or without a queued
 * answer) it applies the PATCH and answers 200 like the Cloud API. {@code hold} keeps the PATCH unanswered until
 * {@code POST /_test/release/{deploymentId}} (which also drops the answers still queued); {@code GET
 * /_test/held/{deploymentId}} counts the PATCHes held now. It keeps each deployment's keystore entry names, changed
 * when the answer is sent (after any delay or hold): {@code GET /_test/keystore/{deploymentId}}, and lists them as
 * the Cloud API does ({@code GET .../keystore}). Requests are handled concurrently, so a slow PATCH does not hold back
 * the next one.
 *
 * <p>For the certificate model it also keeps deployments' trust settings, as cloud-sim does: the test registers a
 * deployment with {@code POST /_test/deployment/{id}} ({@code {"name","apiKey","ca","trust"}}); then
 * {@code GET /api/v1/deployments/{id}} shows its trust, current plan, version ({@code x-cloud-resource-version}) and,
 * for the next {@code pendingReads} reads after each update, a pending plan; {@code GET .../certificate-authority}
 * its CA; {@code PUT /api/v1/deployments/{id}} checks the API key, the {@code version} (409), the body's shape, and
 * replaces the trust (giving new direct entries a uid). {@code GET /_test/deployment/{id}} returns its trust.
 * Environment {@code ess} is served too, with its own API key.
 */
public class FakeCloudApi implements QuarkusTestResourceLifecycleManager {
    public static final String API_KEY = "ece-test-api-key-0123456789";
    public static final String ESS_API_KEY = "ess-test-api-key-9876543210";

    private HttpServer server;
    private ExecutorService executor;
    private final Map<String, Set<String>> keystores = new ConcurrentHashMap<>();
    private final ArrayNode requests = EventCodec.mapper().createArrayNode();
    private final Map<String, Deque<JsonNode>> scripts = new ConcurrentHashMap<>();
    private final Map<String, TrustDeployment> deployments = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> held = new ConcurrentHashMap<>();

    /** A deployment of the certificate model: its trust, version and pending plan. */
    private static final class TrustDeployment {
        String name;
        String apiKey;
        String ca;
        ObjectNode trust;
        int version = 1;
        int pendingReads;
        int pendingReadsAfterPut = 1;
        int uids;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
        return Map.of(
                "crosslink.environments.ece.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "crosslink.environments.ece.api-key", API_KEY,
                "crosslink.environments.ess.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "crosslink.environments.ess.api-key", ESS_API_KEY,
                "crosslink.secrets.data-keys", SecretBox.newDataKey());
    }

    @Override
    public void stop() {
        releases.values().forEach(CountDownLatch::countDown);
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.equals("/_test/requests")) {
            synchronized (requests) {
                reply(exchange, 200, EventCodec.encode(requests));
            }
            return;
        }
        if (path.startsWith("/_test/keystore/")) {
            Set<String> names = keystores.getOrDefault(path.substring("/_test/keystore/".length()), Set.of());
            synchronized (names) {
                reply(exchange, 200, EventCodec.encode(EventCodec.mapper().valueToTree(new TreeSet<>(names))));
            }
            return;
        }
        if (path.startsWith("/_test/script/")) {
            Deque<JsonNode> answers = scripts.computeIfAbsent(path.substring("/_test/script/".length()),
                    k -> new ArrayDeque<>());
            synchronized (answers) {
                EventCodec.mapper().readTree(body).forEach(answers::add);
            }
            reply(exchange, 204, null);
            return;
        }
        if (path.startsWith("/_test/release/")) {
            String id = path.substring("/_test/release/".length());
            scripts.remove(id);
            releases.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
            reply(exchange, 204, null);
            return;
        }
        if (path.startsWith("/_test/held/")) {
            reply(exchange, 200, Integer.toString(held.computeIfAbsent(path.substring("/_test/held/".length()),
                    k -> new AtomicInteger()).get()));
            return;
        }
        if (path.startsWith("/_test/deployment/")) {
            testDeployment(exchange, path.substring("/_test/deployment/".length()), body);
            return;
        }
        ObjectNode recorded = EventCodec.mapper().createObjectNode()
                .put("method", exchange.getRequestMethod())
                .put("path", path)
                .put("query", exchange.getRequestURI().getRawQuery())
                .put("authorization", exchange.getRequestHeaders().getFirst("Authorization"))
                .put("body", body);
        synchronized (requests) {
            requests.add(recorded);
        }
        String[] parts = path.split("/");
        if ((parts.length == 5 || parts.length == 6) && deployments.containsKey(parts[4])) {
            trust(exchange, deployments.get(parts[4]), parts.length == 6 ? parts[5] : null, body);
            return;
        }
        // /api/v1/deployments/{id}/elasticsearch/{ref}/keystore
        if (exchange.getRequestMethod().equals("GET") && parts.length == 8 && parts[7].equals("keystore")) {
            Set<String> names = keystores.getOrDefault(parts[4], Set.of());
            ObjectNode secrets = EventCodec.mapper().createObjectNode();
            synchronized (names) {
                names.forEach(name -> secrets.putObject(name).put("as_file", false));
            }
            reply(exchange, 200, "{\"secrets\":" + secrets + "}");
            return;
        }
        if (!exchange.getRequestMethod().equals("PATCH") || parts.length != 8 || !parts[7].equals("keystore")) {
            reply(exchange, 404, "{\"errors\":[{\"code\":\"root.resource_not_found\",\"message\":\"not found\"}]}");
            return;
        }
        Deque<JsonNode> answers = scripts.getOrDefault(parts[4], new ArrayDeque<>());
        JsonNode answer;
        synchronized (answers) {
            answer = answers.poll();
        }
        if (answer != null && answer.has("delayMs")) {
            try {
                Thread.sleep(answer.path("delayMs").asLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (answer != null && answer.path("hold").asBoolean()) {
            AtomicInteger holding = held.computeIfAbsent(parts[4], k -> new AtomicInteger());
            holding.incrementAndGet();
            try {
                releases.computeIfAbsent(parts[4], k -> new CountDownLatch(1)).await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.decrementAndGet();
            }
        }
        if (answer == null || !answer.has("status")) {
            ObjectNode contents = EventCodec.mapper().createObjectNode();
            Set<String> names = keystores.computeIfAbsent(parts[4], k -> new TreeSet<>());
            synchronized (names) {
                // An entry without a value is removed; removing a missing one changes nothing (as cloud-sim does).
                EventCodec.mapper().readTree(body).path("secrets").fields().forEachRemaining(secret -> {
                    if (secret.getValue().hasNonNull("value")) {
                        names.add(secret.getKey());
                    } else {
                        names.remove(secret.getKey());
                    }
                });
                names.forEach(name -> contents.putObject(name).put("as_file", false));
            }
            reply(exchange, 200, "{\"secrets\":" + contents + "}");
        } else if (answer.path("echo").asBoolean()) {
            // Like a Cloud API error quoting the request it could not apply.
            reply(exchange, answer.path("status").asInt(), "{\"errors\":[{\"code\":\"root.invalid_json_request\","
                    + "\"message\":" + EventCodec.mapper().writeValueAsString("could not apply " + body) + "}]}");
        } else {
            reply(exchange, answer.path("status").asInt(),
                    "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"try again later\"}]}");
        }
    }

    private void testDeployment(HttpExchange exchange, String id, String body) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            JsonNode spec = EventCodec.mapper().readTree(body);
            TrustDeployment deployment = new TrustDeployment();
            deployment.name = spec.path("name").asText();
            deployment.apiKey = spec.path("apiKey").asText();
            deployment.ca = spec.path("ca").asText();
            deployment.trust = (ObjectNode) spec.path("trust");
            deployments.put(id, deployment);
            reply(exchange, 204, null);
            return;
        }
        TrustDeployment deployment = deployments.get(id);
        synchronized (deployment) {
            reply(exchange, 200, EventCodec.encode(deployment.trust));
        }
    }

    /** GET or PUT /api/v1/deployments/{id}, GET .../certificate-authority, as cloud-sim answers them. */
    private void trust(HttpExchange exchange, TrustDeployment deployment, String sub, String body) throws IOException {
        String id = exchange.getRequestURI().getRawPath().split("/")[4];
        if (!("ApiKey " + deployment.apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 404, "{\"errors\":[{\"code\":\"deployments.deployment_not_found\",\"message\":"
                    + "\"not in this environment\"}]}");
            return;
        }
        String method = exchange.getRequestMethod();
        synchronized (deployment) {
            if ("certificate-authority".equals(sub) && method.equals("GET")) {
                ObjectNode ca = EventCodec.mapper().createObjectNode();
                ca.putArray("public_certificates").addObject().put("pem", deployment.ca).put("active", true);
                ca.put("recommended_trust_restriction", "*." + id + ".test.local");
                reply(exchange, 200, EventCodec.encode(ca));
            } else if (sub == null && method.equals("GET")) {
                ObjectNode document = EventCodec.mapper().createObjectNode().put("id", id).put("name", deployment.name);
                ObjectNode es = document.putObject("resources").putArray("elasticsearch").addObject()
                        .put("ref_id", "main-elasticsearch").put("region", "test-region");
                ObjectNode plans = es.putObject("info").putObject("plan_info");
                plans.putObject("current").set("plan", plan());
                if (deployment.pendingReads > 0) {
                    deployment.pendingReads--;
                    plans.set("pending", plan());
                }
                ((ObjectNode) es.path("info")).putObject("settings").set("trust", deployment.trust);
                exchange.getResponseHeaders().add("x-cloud-resource-version", Integer.toString(deployment.version));
                reply(exchange, 200, EventCodec.encode(document));
            } else if (sub == null && method.equals("PUT")) {
                String query = exchange.getRequestURI().getRawQuery();
                if (query != null && !query.equals("version=" + deployment.version)) {
                    reply(exchange, 409, "{\"errors\":[{\"code\":\"deployments.deployment_version_conflict\","
                            + "\"message\":\"changed\"}]}");
                    return;
                }
                JsonNode request = EventCodec.mapper().readTree(body);
                JsonNode payload = request.path("resources").path("elasticsearch").path(0);
                if (!request.path("prune_orphans").isBoolean() || !payload.path("ref_id").asText().equals(
                        "main-elasticsearch") || !payload.path("region").asText().equals("test-region")
                        || !payload.path("plan").equals(plan()) || !payload.path("settings").path("trust").isObject()) {
                    reply(exchange, 400, "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":"
                            + "\"not an update of the trust settings\"}]}");
                    return;
                }
                ObjectNode trust = ((ObjectNode) payload.path("settings").path("trust")).deepCopy();
                trust.path("direct").forEach(entry -> {
                    if (!entry.has("uid")) {
                        ((ObjectNode) entry).put("uid", id.substring(0, 8) + "-" + (++deployment.uids));
                    }
                });
                deployment.trust = trust;
                deployment.version++;
                deployment.pendingReads = deployment.pendingReadsAfterPut;
                exchange.getResponseHeaders().add("x-cloud-resource-version", Integer.toString(deployment.version));
                reply(exchange, 200, "{\"id\":\"" + id + "\",\"resources\":[]}");
            } else {
                reply(exchange, 404, "{\"errors\":[{\"code\":\"root.resource_not_found\",\"message\":\"not found\"}]}");
            }
        }
    }

    private static ObjectNode plan() {
        ObjectNode plan = EventCodec.mapper().createObjectNode();
        plan.putObject("elasticsearch").put("version", "8.19.21");
        plan.putArray("cluster_topology").addObject().put("id", "hot_content");
        return plan;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
