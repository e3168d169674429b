package io.crosslink.connect.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal stand-in for the Cloud API of two environments and the Elasticsearch of local deployments, for
 * the service-level tests (the end-to-end module runs on the real cloud-sim and Elasticsearch). It answers in
 * the shapes of the spec: {@code DeploymentGetResponse} (ref_id, id, info.cluster_id, info.metadata.endpoint,
 * info.plan_info.current.plan.elasticsearch.version), Cloud errors {@code {"errors":[{code,message}]}},
 * {@code PUT/GET /_cluster/settings} (GET returns values as strings, as Elasticsearch does) and Elasticsearch
 * errors {@code {"error":{type,reason,root_cause},"status"}}.
 *
 * <p>Cluster settings behave as Elasticsearch's do for remotes: a null removes a setting, and an alias left with
 * settings but neither {@code proxy_address} nor {@code seeds} is refused with Elasticsearch's 400 ("Cannot
 * configure setting [cluster.remote.a.skip_unavailable] if remote cluster is not enabled.") and nothing changes.
 * Every PUT body is logged per deployment, and faults can be injected, both over HTTP (the tests run in another
 * class loader than this resource):
 * <ul>
 * <li>{@code GET /es/{deploymentId}/_stand_in/requests} → {@code {"requests":[<PUT bodies, oldest first>]}}</li>
 * <li>{@code POST /es/{deploymentId}/_stand_in/faults} {@code {"status":503,"times":2,"retryAfterSeconds":1,
 * "latencyMs":0,"on":"remove"|"register"|"any","applied":false}}: the next {@code times} matching PUTs wait {@code latencyMs},
 * then are answered with that status (and {@code Retry-After}) without a change (with {@code "applied":true}: after
 * making the change, an answer lost after the write), or, without a status, applied as usual; a removal is a PUT
 * whose alias settings are all null.</li>
 * <li>{@code DELETE /es/{deploymentId}/_stand_in/faults} clears them.</li>
 * <li>{@code GET /es/{deploymentId}/_remote/info} lists every alias with a {@code proxy_address} as connected, but
 * those lost through {@code POST /es/{deploymentId}/_stand_in/lose/{alias}} (Elasticsearch dropped the remote while
 * its settings stay) until a PUT writes that alias again; {@code GET .../_stand_in/remote-info-reads} counts the
 * reads.</li>
 * </ul>
 *
 * <p>Certificate model: {@code GET /ece/api/v1/account} answers the installation's account ({@link #ECE_ACCOUNT});
 * the ess environment has no such endpoint (404) and its deployments report {@code metadata.organization_id}
 * ({@link #ESS_ORG}); {@code GET .../deployments/{id}/certificate-authority} answers a {@code CertificateAuthority}
 * with one certificate; ports: transport_passthrough 9300 (ece) / 9400 (ess). ECE's remote-clusters API
 * ({@code GET|PUT /ece/api/v1/deployments/{id}/elasticsearch/{ref_id}/remote-clusters}) keeps the list per deployment
 * (GET adds {@code info}; PUT replaces it, 202 {}, and writes the cluster settings as ECE does: proxy mode,
 * {@code <endpoint>:9300}, {@code server_name}, nulls for dropped aliases). {@code GET|PUT
 * /es/{deploymentId}/_stand_in/remote-clusters} reads the stored list, or seeds it without touching settings.
 *
 * <p>Paths: {@code /ece/api/v1/deployments/{id}}, {@code /ess/api/v1/deployments/{id}},
 * {@code /es/{deploymentId}/_cluster/settings}, {@code /es/{deploymentId}/_security/role/{name}} (and
 * {@code /es/{deploymentId}/_stand_in/roles/{name}}: the role as stored, no authentication).
 */
public class ElasticStandIn implements QuarkusTestResourceLifecycleManager {
    public static final String ECE_KEY = "test-ece-api-key";
    public static final String ESS_KEY = "test-ess-api-key";
    public static final String ES_USER = "elastic";
    public static final String ES_PASSWORD = "test-password";

    /** ECE: a good local deployment. */
    public static final String LOCAL = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    /** ECE: a local deployment whose Elasticsearch refuses to register a remote (and accepts its removal). */
    public static final String LOCAL_REFUSING = "bad0bad0bad0bad0bad0bad0bad0bad0";
    /** ECE: a good local deployment on which tests inject faults ({@code /_stand_in/faults}). */
    public static final String LOCAL_FAULTY = "fa017fa017fa017fa017fa017fa017fa";
    /** ECE: a local deployment on 8.13. */
    public static final String LOCAL_OLD = "01d01d01d01d01d01d01d01d01d01d01";
    /** Elastic Cloud: the remote. */
    public static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    /** Elastic Cloud: a remote whose lookups fail with 503 {@link #FLAKY_FAILURES} times first. */
    public static final String REMOTE_FLAKY = "f1a4yf1a4yf1a4yf1a4yf1a4yf1a4y00";
    public static final int FLAKY_FAILURES = 5;

    public static final String REMOTE_ENDPOINT = "abcdef0123.es.us-central1.gcp.cloud.es.local";
    public static final String REMOTE_CLUSTER_ID = "abcdef01234567890b5e55ed12345678";
    /** ECE: a remote in the same installation as {@link #LOCAL} (certificate model, ECE remote-clusters API). */
    public static final String PEER = "9ee59ee59ee59ee59ee59ee59ee59ee5";
    public static final String PEER_ENDPOINT = "127.0.20.6";
    public static final String PEER_CLUSTER_ID = "9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e";
    /** The ECE installation's account ({@code GET /api/v1/account}) and the Elastic Cloud organization. */
    public static final String ECE_ACCOUNT = "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87";
    public static final String ESS_ORG = "4285051796";
    static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBstandin\n-----END CERTIFICATE-----\n";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private ExecutorService executor;
    private final AtomicInteger flakyCalls = new AtomicInteger();
    /** Persistent cluster settings per deployment, nested as written. */
    private final Map<String, ObjectNode> settings = new ConcurrentHashMap<>();
    /** Every PUT body per deployment, oldest first. */
    private final Map<String, List<JsonNode>> requests = new ConcurrentHashMap<>();
    /** Roles per deployment, as written. */
    private final Map<String, Map<String, ObjectNode>> roles = new ConcurrentHashMap<>();
    /** ECE remote-clusters list entries per local deployment, as written (without info). */
    private final Map<String, ArrayNode> remoteClusters = new ConcurrentHashMap<>();
    /** Aliases set in the settings that this node has "lost" (missing from _remote/info) until they are written again. */
    private final Map<String, Set<String>> lost = new ConcurrentHashMap<>();
    /** How often {@code _remote/info} was read, per deployment. */
    private final Map<String, AtomicInteger> remoteInfoReads = new ConcurrentHashMap<>();
    /** Injected faults per deployment, first match first. */
    private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();

    private static final class Fault {
        /** 0: no error answer, only the latency. */
        final int status;
        final long latencyMs;
        final String on;
        final Integer retryAfterSeconds;
        /** The change is made, then the error answered: an answer lost after the write. */
        final boolean applied;
        int remaining;

        Fault(JsonNode spec) {
            status = spec.path("status").asInt(0);
            latencyMs = spec.path("latencyMs").asLong(0);
            on = spec.path("on").asText("any");
            retryAfterSeconds = spec.hasNonNull("retryAfterSeconds") ? spec.get("retryAfterSeconds").asInt() : null;
            remaining = spec.path("times").asInt(1);
            applied = spec.path("applied").asBoolean(false);
        }

        boolean matches(boolean removal) {
            return remaining > 0 && (on.equals("any") || on.equals(removal ? "remove" : "register"));
            // "role" faults apply to role writes only (takeRoleFault).
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/ece/api/v1/deployments/", exchange -> cloud(exchange, "ece", ECE_KEY));
        server.createContext("/ess/api/v1/deployments/", exchange -> cloud(exchange, "ess", ESS_KEY));
        server.createContext("/ece/api/v1/account", exchange -> account(exchange, ECE_KEY, ECE_ACCOUNT));
        server.createContext("/ess/api/v1/account", exchange -> account(exchange, ESS_KEY, null));
        server.createContext("/es/", this::elasticsearch);
        // Requests are answered concurrently, as a real server does (a slow answer does not hold the others).
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
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
                Map.entry("crosslink.deployments." + LOCAL_REFUSING + ".password", ES_PASSWORD),
                Map.entry("crosslink.deployments." + LOCAL_FAULTY + ".elasticsearch-url", base + "/es/" + LOCAL_FAULTY),
                Map.entry("crosslink.deployments." + LOCAL_FAULTY + ".username", ES_USER),
                Map.entry("crosslink.deployments." + LOCAL_FAULTY + ".password", ES_PASSWORD));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void cloud(HttpExchange exchange, String environment, String apiKey) throws IOException {
        if (!("ApiKey " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            cloudError(exchange, 401, "root.unauthenticated", "The supplied authentication is invalid");
            return;
        }
        String[] rest = exchange.getRequestURI().getPath().substring(exchange.getHttpContext().getPath().length())
                .split("/");
        String id = rest[0];
        if (rest.length == 4 && rest[1].equals("elasticsearch") && rest[3].equals("remote-clusters")
                && environment.equals("ece") && deploymentOf(environment, id) != null) {
            eceRemoteClusters(exchange, id);
            return;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            cloudError(exchange, 405, "root.method_not_allowed", "method not allowed");
            return;
        }
        if (rest.length == 2 && rest[1].equals("certificate-authority")) {
            ObjectNode deployment = deploymentOf(environment, id);
            if (deployment == null) {
                cloudError(exchange, 404, "deployments.deployment_not_found", "Deployment [" + id + "] not found");
                return;
            }
            ObjectNode authority = JSON.createObjectNode();
            authority.put("recommended_trust_restriction", "*." + deployment.path("resources").path("elasticsearch")
                    .get(0).path("id").asText() + "." + environment + ".local");
            ObjectNode certificate = authority.putArray("public_certificates").addObject();
            certificate.put("pem", CA_PEM);
            certificate.put("active", true);
            certificate.putObject("metadata").put("fingerprint", "00:11");
            send(exchange, 200, authority);
            return;
        }
        if (rest.length != 1) {
            cloudError(exchange, 404, "root.resource_not_found", "no such resource");
            return;
        }
        if (environment.equals("ess") && id.equals(REMOTE_FLAKY)) {
            if (flakyCalls.incrementAndGet() <= FLAKY_FAILURES) {
                cloudError(exchange, 503, "root.unavailable", "The service is temporarily unavailable");
                return;
            }
        }
        ObjectNode deployment = deploymentOf(environment, id);
        if (deployment == null) {
            cloudError(exchange, 404, "deployments.deployment_not_found", "Deployment [" + id + "] not found");
        } else {
            send(exchange, 200, deployment);
        }
    }

    /** The deployments each environment knows. */
    private static ObjectNode deploymentOf(String environment, String id) {
        ObjectNode deployment = deploymentById(environment, id);
        if (deployment != null) {
            JsonNode ports = deployment.path("resources").path("elasticsearch").get(0).path("info").path("metadata")
                    .path("ports");
            ((ObjectNode) ports).put("transport_passthrough", environment.equals("ece") ? 9300 : 9400);
            if (environment.equals("ess")) {
                deployment.putObject("metadata").put("organization_id", ESS_ORG);
            }
        }
        return deployment;
    }

    private static ObjectNode deploymentById(String environment, String id) {
        if (environment.equals("ece") && id.equals(LOCAL)) {
            return deployment(id, "local", "e5f60718293a4b5cc0ffee00a1b2c3d4", "127.0.20.1", "8.19.21");
        } else if (environment.equals("ece") && id.equals(LOCAL_REFUSING)) {
            return deployment(id, "refusing", "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e", "127.0.20.3", "9.1.0");
        } else if (environment.equals("ece") && id.equals(LOCAL_FAULTY)) {
            return deployment(id, "faulty", "fa0fa0fa0fa0fa0fa0fa0fa0fa0fa0fa", "127.0.20.5", "8.19.21");
        } else if (environment.equals("ece") && id.equals(LOCAL_OLD)) {
            return deployment(id, "old", "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d", "127.0.20.4", "8.13.4");
        } else if (environment.equals("ece") && id.equals(PEER)) {
            return deployment(id, "peer", PEER_CLUSTER_ID, PEER_ENDPOINT, "8.19.21");
        } else if (environment.equals("ess") && id.equals(REMOTE)) {
            return deployment(id, "remote", REMOTE_CLUSTER_ID, REMOTE_ENDPOINT, "8.19.21");
        } else if (environment.equals("ess") && id.equals(REMOTE_FLAKY)) {
            return deployment(id, "flaky", "f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1", "flaky.example", "8.15.0");
        }
        return null;
    }

    /** {@code GET /api/v1/account}: the account of the API key, or 404 where the environment has no such endpoint. */
    private void account(HttpExchange exchange, String apiKey, String accountId) throws IOException {
        if (!("ApiKey " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            cloudError(exchange, 401, "root.unauthenticated", "The supplied authentication is invalid");
        } else if (accountId == null) {
            cloudError(exchange, 404, "root.resource_not_found", "The requested resource could not be found");
        } else {
            ObjectNode account = JSON.createObjectNode();
            account.put("id", accountId);
            account.putObject("trust").put("trust_all", true);
            send(exchange, 200, account);
        }
    }

    /**
     * ECE's remote-clusters API of a local deployment: GET lists the entries with {@code info}; PUT replaces the list
     * (202) and writes the cluster settings as ECE does, nulling the aliases it no longer lists.
     */
    private void eceRemoteClusters(HttpExchange exchange, String deployment) throws IOException {
        if (exchange.getRequestMethod().equals("GET")) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode resources = root.putArray("resources");
            synchronized (remoteClusters) {
                remoteClusters.getOrDefault(deployment, JSON.createArrayNode()).forEach(entry -> {
                    ObjectNode shown = entry.deepCopy();
                    shown.putObject("info").put("healthy", true).put("connected", false).put("compatible", true)
                            .put("trusted", true).put("trusted_back", true);
                    resources.add(shown);
                });
            }
            send(exchange, 200, root);
            return;
        }
        if (!exchange.getRequestMethod().equals("PUT")) {
            cloudError(exchange, 405, "root.method_not_allowed", "method not allowed");
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        }
        if (!body.path("resources").isArray()) {
            cloudError(exchange, 400, "root.invalid_json_request", "The request must contain an array [resources].");
            return;
        }
        ObjectNode remotes = JSON.createObjectNode();
        java.util.Set<String> kept = new java.util.HashSet<>();
        for (JsonNode entry : body.path("resources")) {
            String alias = entry.path("alias").asText("");
            if (!alias.matches("[A-Za-z0-9_-]+") || entry.has("info")) {
                cloudError(exchange, 400, "root.invalid_json_request", "Invalid entry [" + alias + "]");
                return;
            }
            ObjectNode target = deploymentOf("ece", entry.path("deployment_id").asText());
            if (target == null) {
                cloudError(exchange, 404, "deployments.deployment_remote_resource_not_found",
                        "The remote deployment [" + entry.path("deployment_id").asText() + "] cannot be found");
                return;
            }
            String endpoint = target.path("resources").path("elasticsearch").get(0).path("info").path("metadata")
                    .path("endpoint").asText();
            ObjectNode settings = remotes.putObject(alias);
            settings.put("mode", "proxy");
            settings.put("proxy_address", endpoint + ":9300");
            settings.put("server_name", endpoint);
            settings.put("skip_unavailable", entry.path("skip_unavailable").asBoolean(false));
            kept.add(alias);
        }
        synchronized (remoteClusters) {
            for (JsonNode dropped : remoteClusters.getOrDefault(deployment, JSON.createArrayNode())) {
                if (!kept.contains(dropped.path("alias").asText())) {
                    ObjectNode nulls = remotes.putObject(dropped.path("alias").asText());
                    RemoteNulls.ALL.forEach(nulls::putNull);
                }
            }
            remoteClusters.put(deployment, ((ArrayNode) body.path("resources")).deepCopy());
        }
        ObjectNode persistent = settings.computeIfAbsent(deployment, d -> JSON.createObjectNode());
        synchronized (persistent) {
            ObjectNode change = JSON.createObjectNode();
            change.putObject("cluster").set("remote", remotes);
            merge(persistent, change);
        }
        send(exchange, 202, JSON.createObjectNode());
    }

    /** The settings of a remote alias ECE nulls when it drops it. */
    private static final class RemoteNulls {
        static final List<String> ALL = List.of("mode", "proxy_address", "server_name", "skip_unavailable", "seeds",
                "proxy_socket_connections");
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
        // "", "es", "<deploymentId>", "_stand_in", "remote-clusters": the stored ECE list (GET) or a seed (PUT)
        if (path.length == 5 && path[3].equals("_stand_in") && path[4].equals("remote-clusters")) {
            if (exchange.getRequestMethod().equals("PUT")) {
                try (InputStream in = exchange.getRequestBody()) {
                    remoteClusters.put(path[2], (ArrayNode) JSON.readTree(in).path("resources"));
                }
            }
            ObjectNode root = JSON.createObjectNode();
            root.set("resources", remoteClusters.getOrDefault(path[2], JSON.createArrayNode()));
            send(exchange, 200, root);
            return;
        }
        // "", "es", "<deploymentId>", "_stand_in", "lose", "<alias>": Elasticsearch drops the remote, its settings stay
        if (path.length == 6 && path[3].equals("_stand_in") && path[4].equals("lose")) {
            lost.computeIfAbsent(path[2], d -> ConcurrentHashMap.newKeySet()).add(path[5]);
            send(exchange, 200, JSON.createObjectNode());
            return;
        }
        // "", "es", "<deploymentId>", "_stand_in", "remote-info-reads"
        if (path.length == 5 && path[3].equals("_stand_in") && path[4].equals("remote-info-reads")) {
            send(exchange, 200, JSON.createObjectNode().put("reads",
                    remoteInfoReads.computeIfAbsent(path[2], d -> new AtomicInteger()).get()));
            return;
        }
        // "", "es", "<deploymentId>", "_remote", "info": every alias with an address, but the lost ones
        if (path.length == 5 && path[3].equals("_remote") && path[4].equals("info")) {
            remoteInfo(exchange, path[2]);
            return;
        }
        // "", "es", "<deploymentId>", "_stand_in", "requests|faults"
        if (path.length == 5 && path[3].equals("_stand_in")) {
            standIn(exchange, path[2], path[4]);
            return;
        }
        // "", "es", "<deploymentId>", "_stand_in", "roles", "<name>": the role as stored, without authentication
        if (path.length == 6 && path[3].equals("_stand_in") && path[4].equals("roles")) {
            JsonNode role = roles.getOrDefault(path[2], Map.of()).get(path[5]);
            send(exchange, role == null ? 404 : 200, role == null ? JSON.createObjectNode() : role);
            return;
        }
        // "", "es", "<deploymentId>", "_security", "role", "<name>"
        if (path.length == 6 && path[3].equals("_security") && path[4].equals("role")) {
            role(exchange, path[2], path[5]);
            return;
        }
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
            synchronized (persistent) {
                root.set("persistent", stringValues(persistent));
            }
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
        requests.computeIfAbsent(deployment, d -> new CopyOnWriteArrayList<>()).add(body);
        boolean removal = removal(body);
        Fault fault = takeFault(deployment, removal);
        if (fault != null && fault.latencyMs > 0) {
            try {
                Thread.sleep(fault.latencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fault != null && fault.status > 0 && !fault.applied) {
            if (fault.retryAfterSeconds != null) {
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(fault.retryAfterSeconds));
            }
            esError(exchange, fault.status, fault.status >= 500 ? "unavailable_shards_exception" : "illegal_argument_exception",
                    "injected fault (HTTP " + fault.status + ")");
            return;
        }
        if (fault != null && fault.status > 0) {
            synchronized (persistent) {
                merge(persistent, (ObjectNode) body.path("persistent"));
            }
            esError(exchange, fault.status, "illegal_argument_exception", "injected fault after the change (HTTP "
                    + fault.status + ")");
            return;
        }
        if (deployment.equals(LOCAL_REFUSING) && !removal) {
            esError(exchange, 400, "illegal_argument_exception",
                    "persistent setting [cluster.remote.refused.mode], not recognized");
            return;
        }
        synchronized (persistent) {
            ObjectNode changed = persistent.deepCopy();
            merge(changed, (ObjectNode) body.path("persistent"));
            String refused = refusedAlias(changed);
            if (refused != null) {
                esError(exchange, 400, "illegal_argument_exception", "Cannot configure setting [cluster.remote." + refused
                        + ".skip_unavailable] if remote cluster is not enabled.");
                return;
            }
            persistent.removeAll();
            persistent.setAll(changed);
        }
        // A change of an alias's settings makes Elasticsearch set the remote up again.
        Set<String> gone = lost.get(deployment);
        if (gone != null) {
            body.path("persistent").path("cluster").path("remote").fieldNames().forEachRemaining(gone::remove);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("acknowledged", true);
        root.set("persistent", body.path("persistent"));
        root.putObject("transient");
        send(exchange, 200, root);
    }

    /**
     * {@code GET|PUT|DELETE /_security/role/{name}} as Elasticsearch answers them (A6/A6b): GET
     * {@code {"<name>":{...,"transient_metadata":{"enabled":true}}}} or 404 {@code {}}; PUT replaces the role,
     * {@code {"role":{"created":bool}}}, and refuses {@code transient_metadata}... as a read-only field would be; DELETE
     * {@code {"found":bool}} (404 when absent). Faults with {@code "on":"role"} apply to PUT and DELETE.
     */
    private void role(HttpExchange exchange, String deployment, String name) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((ES_USER + ":" + ES_PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            esError(exchange, 401, "security_exception", "unable to authenticate user [" + ES_USER + "] for REST request");
            return;
        }
        Map<String, ObjectNode> stored = roles.computeIfAbsent(deployment, d -> new ConcurrentHashMap<>());
        String method = exchange.getRequestMethod();
        if (method.equals("GET")) {
            ObjectNode role = stored.get(name);
            ObjectNode root = JSON.createObjectNode();
            if (role != null) {
                ObjectNode shown = role.deepCopy();
                shown.putObject("transient_metadata").put("enabled", true);
                root.set(name, shown);
            }
            send(exchange, role == null ? 404 : 200, root);
            return;
        }
        Fault fault = takeRoleFault(deployment);
        if (fault != null && fault.status > 0) {
            esError(exchange, fault.status, fault.status >= 500 ? "unavailable_shards_exception" : "illegal_argument_exception",
                    "injected fault (HTTP " + fault.status + ")");
            return;
        }
        if (method.equals("PUT")) {
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            }
            if (body.has("transient_metadata")) {
                esError(exchange, 400, "parse_exception", "failed to parse role [" + name + "]: transient_metadata");
                return;
            }
            boolean created = stored.put(name, (ObjectNode) body) == null;
            ObjectNode root = JSON.createObjectNode();
            root.putObject("role").put("created", created);
            send(exchange, 200, root);
        } else if (method.equals("DELETE")) {
            boolean found = stored.remove(name) != null;
            send(exchange, found ? 200 : 404, JSON.createObjectNode().put("found", found));
        } else {
            esError(exchange, 405, "illegal_argument_exception", "method not allowed");
        }
    }

    private synchronized Fault takeRoleFault(String deployment) {
        for (Fault fault : faults.getOrDefault(deployment, List.of())) {
            if (fault.remaining > 0 && fault.on.equals("role")) {
                fault.remaining--;
                return fault;
            }
        }
        return null;
    }

    private void standIn(HttpExchange exchange, String deployment, String what) throws IOException {
        if (what.equals("requests") && exchange.getRequestMethod().equals("GET")) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode logged = root.putArray("requests");
            requests.getOrDefault(deployment, List.of()).forEach(logged::add);
            send(exchange, 200, root);
        } else if (what.equals("faults") && exchange.getRequestMethod().equals("POST")) {
            JsonNode spec;
            try (InputStream in = exchange.getRequestBody()) {
                spec = JSON.readTree(in);
            }
            faults.computeIfAbsent(deployment, d -> new CopyOnWriteArrayList<>()).add(new Fault(spec));
            send(exchange, 201, spec);
        } else if (what.equals("faults") && exchange.getRequestMethod().equals("DELETE")) {
            faults.remove(deployment);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        } else {
            esError(exchange, 405, "illegal_argument_exception", "method not allowed");
        }
    }

    /** {@code GET /_remote/info}: Elasticsearch's shape, {@code {"<alias>":{"connected":true,"mode":"proxy",...}}}. */
    private void remoteInfo(HttpExchange exchange, String deployment) throws IOException {
        remoteInfoReads.computeIfAbsent(deployment, d -> new AtomicInteger()).incrementAndGet();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode persistent = settings.computeIfAbsent(deployment, d -> JSON.createObjectNode());
        Set<String> gone = lost.getOrDefault(deployment, Set.of());
        synchronized (persistent) {
            persistent.path("cluster").path("remote").fields().forEachRemaining(alias -> {
                if (alias.getValue().has("proxy_address") && !gone.contains(alias.getKey())) {
                    ObjectNode info = root.putObject(alias.getKey());
                    info.put("connected", true);
                    info.put("mode", "proxy");
                    info.put("proxy_address", alias.getValue().path("proxy_address").asText());
                    info.put("skip_unavailable", alias.getValue().path("skip_unavailable").asBoolean(true));
                }
            });
        }
        send(exchange, 200, root);
    }

    private synchronized Fault takeFault(String deployment, boolean removal) {
        for (Fault fault : faults.getOrDefault(deployment, List.of())) {
            if (fault.matches(removal)) {
                fault.remaining--;
                return fault;
            }
        }
        return null;
    }

    /** A PUT whose remote aliases' settings are all null. */
    static boolean removal(JsonNode body) {
        JsonNode remotes = body.path("persistent").path("cluster").path("remote");
        if (!remotes.isObject() || remotes.isEmpty()) {
            return false;
        }
        for (JsonNode alias : remotes) {
            for (JsonNode value : alias) {
                if (!value.isNull()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An alias that would keep settings without an address, as Elasticsearch refuses. */
    private static String refusedAlias(ObjectNode persistent) {
        Iterator<Map.Entry<String, JsonNode>> aliases = persistent.path("cluster").path("remote").fields();
        while (aliases.hasNext()) {
            Map.Entry<String, JsonNode> alias = aliases.next();
            JsonNode settings = alias.getValue();
            if (!settings.isEmpty() && !settings.has("proxy_address") && !settings.has("seeds")) {
                return alias.getKey();
            }
        }
        return null;
    }

    /** Writes {@code source} into {@code target}; a null removes the setting, and objects left empty go too. */
    private static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                target.remove(field.getKey());
            } else if (field.getValue().isObject()) {
                ObjectNode child = target.path(field.getKey()).isObject() ? (ObjectNode) target.get(field.getKey())
                        : JSON.createObjectNode();
                merge(child, (ObjectNode) field.getValue());
                if (child.isEmpty()) {
                    target.remove(field.getKey());
                } else {
                    target.set(field.getKey(), child);
                }
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
