package io.crosslink.connect.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal stand-in for the Cloud API of two environments and the Elasticsearch of local deployments, for
 * the service-level tests (the end-to-end module runs on the real cloud-sim and Elasticsearch). It answers in
 * the shapes of the spec: {@code DeploymentGetResponse} (ref_id, id, info.cluster_id, info.metadata.endpoint,
 * info.plan_info.current.plan.elasticsearch.version), Cloud errors {@code {"errors":[{code,message}]}},
 * {@code PUT/GET /_cluster/settings} (GET returns values as strings, as Elasticsearch does) and Elasticsearch
 * errors {@code {"error":{type,reason,root_cause},"status"}}.
 *
 * <p>Paths: {@code /ece/api/v1/deployments/{id}}, {@code /ess/api/v1/deployments/{id}},
 * {@code /es/{deploymentId}/_cluster/settings}.
 */
public class ElasticStandIn implements QuarkusTestResourceLifecycleManager {
    public static final String ECE_KEY = "test-ece-api-key";
    public static final String ESS_KEY = "test-ess-api-key";
    public static final String ES_USER = "elastic";
    public static final String ES_PASSWORD = "test-password";

    /** ECE: a good local deployment. */
    public static final String LOCAL = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    /** ECE: a local deployment whose Elasticsearch refuses the cluster settings. */
    public static final String LOCAL_REFUSING = "bad0bad0bad0bad0bad0bad0bad0bad0";
    /** ECE: a local deployment on 8.13. */
    public static final String LOCAL_OLD = "01d01d01d01d01d01d01d01d01d01d01";
    /** Elastic Cloud: the remote. */
    public static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    /** Elastic Cloud: a remote whose lookups fail with 503 {@link #FLAKY_FAILURES} times first. */
    public static final String REMOTE_FLAKY = "f1a4yf1a4yf1a4yf1a4yf1a4yf1a4y00";
    public static final int FLAKY_FAILURES = 5;

    public static final String REMOTE_ENDPOINT = "abcdef0123.es.us-central1.gcp.cloud.es.local";
    public static final String REMOTE_CLUSTER_ID = "abcdef01234567890b5e55ed12345678";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final AtomicInteger flakyCalls = new AtomicInteger();
    /** Persistent cluster settings per deployment, nested as written. */
    private final Map<String, ObjectNode> settings = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/ece/api/v1/deployments/", exchange -> cloud(exchange, "ece", ECE_KEY));
        server.createContext("/ess/api/v1/deployments/", exchange -> cloud(exchange, "ess", ESS_KEY));
        server.createContext("/es/", this::elasticsearch);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.ofEntries(
                Map.entry("crosslink.environments.ece.url", base + "/ece"),
                Map.entry("crosslink.environments.ece.api-key", ECE_KEY),
                Map.entry("crosslink.environments.ess.url", base + "/ess/"),
                Map.entry("crosslink.environments.ess.api-key", ESS_KEY),
                Map.entry("crosslink.deployments." + LOCAL + ".elasticsearch-url", base + "/es/" + LOCAL),
                Map.entry("crosslink.deployments." + LOCAL + ".username", ES_USER),
                Map.entry("crosslink.deployments." + LOCAL + ".password", ES_PASSWORD),
                Map.entry("crosslink.deployments." + LOCAL_REFUSING + ".elasticsearch-url", base + "/es/" + LOCAL_REFUSING),
                Map.entry("crosslink.deployments." + LOCAL_REFUSING + ".username", ES_USER),
                Map.entry("crosslink.deployments." + LOCAL_REFUSING + ".password", ES_PASSWORD));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void cloud(HttpExchange exchange, String environment, String apiKey) throws IOException {
        if (!("ApiKey " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            cloudError(exchange, 401, "root.unauthenticated", "The supplied authentication is invalid");
            return;
        }
        String id = exchange.getRequestURI().getPath().substring(exchange.getHttpContext().getPath().length());
        if (!exchange.getRequestMethod().equals("GET")) {
            cloudError(exchange, 405, "root.method_not_allowed", "method not allowed");
            return;
        }
        if (environment.equals("ece") && id.equals(LOCAL)) {
            send(exchange, 200, deployment(id, "local", "e5f60718293a4b5cc0ffee00a1b2c3d4", "127.0.20.1", "8.19.21"));
        } else if (environment.equals("ece") && id.equals(LOCAL_REFUSING)) {
            send(exchange, 200, deployment(id, "refusing", "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e", "127.0.20.3", "9.1.0"));
        } else if (environment.equals("ece") && id.equals(LOCAL_OLD)) {
            send(exchange, 200, deployment(id, "old", "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d", "127.0.20.4", "8.13.4"));
        } else if (environment.equals("ess") && id.equals(REMOTE)) {
            send(exchange, 200, deployment(id, "remote", REMOTE_CLUSTER_ID, REMOTE_ENDPOINT, "8.19.21"));
        } else if (environment.equals("ess") && id.equals(REMOTE_FLAKY)) {
            if (flakyCalls.incrementAndGet() <= FLAKY_FAILURES) {
                cloudError(exchange, 503, "root.unavailable", "The service is temporarily unavailable");
            } else {
                send(exchange, 200, deployment(id, "flaky", "f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1", "flaky.example", "8.15.0"));
            }
        } else {
            cloudError(exchange, 404, "deployments.deployment_not_found", "Deployment [" + id + "] not found");
        }
    }

    /** A {@code DeploymentGetResponse} with one Elasticsearch resource. */
    private static ObjectNode deployment(String id, String name, String clusterId, String endpoint, String version) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("name", name);
        root.put("healthy", true);
        ObjectNode resource = root.putObject("resources").putArray("elasticsearch").addObject();
        resource.put("ref_id", "main-elasticsearch");
        resource.put("id", clusterId);
        resource.put("region", "test-region");
        ObjectNode info = resource.putObject("info");
        info.put("cluster_id", clusterId);
        info.put("cluster_name", name);
        info.put("deployment_id", id);
        info.put("healthy", true);
        info.put("status", "started");
        ObjectNode metadata = info.putObject("metadata");
        metadata.put("endpoint", endpoint);
        metadata.put("service_url", "http://" + endpoint + ":9243");
        ObjectNode ports = metadata.putObject("ports");
        ports.put("http", 9200);
        ports.put("https", 9243);
        ports.put("transport_passthrough", 9400);
        info.putObject("plan_info").put("healthy", true).putObject("current").putObject("plan")
                .putObject("elasticsearch").put("version", version);
        return root;
    }

    private void elasticsearch(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        // "", "es", "<deploymentId>", "_cluster", "settings"
        if (path.length != 5 || !path[3].equals("_cluster") || !path[4].equals("settings")) {
            esError(exchange, 400, "illegal_argument_exception", "no handler found for uri [" + exchange.getRequestURI() + "]");
            return;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((ES_USER + ":" + ES_PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            esError(exchange, 401, "security_exception", "unable to authenticate user [" + ES_USER + "] for REST request");
            return;
        }
        String deployment = path[2];
        ObjectNode persistent = settings.computeIfAbsent(deployment, d -> JSON.createObjectNode());
        if (exchange.getRequestMethod().equals("GET")) {
            ObjectNode root = JSON.createObjectNode();
            root.set("persistent", stringValues(persistent));
            root.putObject("transient");
            send(exchange, 200, root);
            return;
        }
        if (!exchange.getRequestMethod().equals("PUT")) {
            esError(exchange, 405, "illegal_argument_exception", "method not allowed");
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        }
        if (deployment.equals(LOCAL_REFUSING)) {
            esError(exchange, 400, "illegal_argument_exception",
                    "persistent setting [cluster.remote.refused.mode], not recognized");
            return;
        }
        synchronized (persistent) {
            merge(persistent, (ObjectNode) body.path("persistent"));
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("acknowledged", true);
        root.set("persistent", body.path("persistent"));
        root.putObject("transient");
        send(exchange, 200, root);
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject() && target.path(field.getKey()).isObject()) {
                merge((ObjectNode) target.get(field.getKey()), (ObjectNode) field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static JsonNode stringValues(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), stringValues(f.getValue())));
            return copy;
        }
        return node.isValueNode() && !node.isNull() ? JSON.getNodeFactory().textNode(node.asText()) : node;
    }

    private static void cloudError(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        exchange.getResponseHeaders().add("x-cloud-error-codes", code);
        send(exchange, status, root);
    }

    private static void esError(HttpExchange exchange, int status, String type, String reason) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        ObjectNode cause = error.putArray("root_cause").addObject();
        cause.put("type", type);
        cause.put("reason", reason);
        error.put("type", type);
        error.put("reason", reason);
        root.put("status", status);
        send(exchange, status, root);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
