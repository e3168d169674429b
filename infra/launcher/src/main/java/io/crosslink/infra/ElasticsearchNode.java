package io.crosslink.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A real single-node Elasticsearch cluster (the integ-test distribution built by {@code infra/elasticsearch},
 * with Crosslink's analysis plugin) on its own loopback address: security on, a file-realm superuser, trial
 * license, transport TLS with its own CA, the remote cluster server on, HTTP without TLS.
 *
 * <p>Everything the node owns lives in {@link Config#workDir()}: {@code config/} (ES_PATH_CONF, with the
 * keystore and {@code certs/}), {@code data/}, {@code logs/}, {@code tmp/}, {@code run/} (pid file, start-up
 * output) and {@code secrets/} (the superuser's password and the CA key, readable by root only). A restart with
 * the same workDir keeps the data, the CA, the keystore, the trusted CA bundle and the trust restrictions.
 *
 * <p>Elasticsearch refuses to run as root: when this JVM is root, every Elasticsearch command runs as the
 * system user {@value ElasticsearchUser#NAME} (created when missing).
 */
public final class ElasticsearchNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ElasticsearchNode.class);

    static final String SUPERUSER = "crosslink-admin";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final long STOP_GRACE_SECONDS = 30;
    private static final Pattern HEALTH_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow|red)\"");
    private static final Pattern LICENSE_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern LICENSE_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern NODE_VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern FAILED_NODES = Pattern.compile("\"failed\"\\s*:\\s*(\\d+)");
    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /**
     * @param name node and cluster name, e.g. "remote"
     * @param version e.g. "8.19.21"; the home is {@link CrosslinkPaths#elasticsearchHome(String)}
     * @param address this node's own loopback address: HTTP, transport and the remote cluster server bind here only
     * @param httpPort e.g. 9200
     * @param transportPort 9300 (ECE) or 9400 (Elastic Cloud)
     * @param remoteClusterPort e.g. 9443
     * @param certificateCommonName the otherName commonName SAN of the transport certificate, e.g.
     *        "node.&lt;clusterId&gt;.ece.local"; the certificate also has the address as IP SAN and the name as DNS SAN
     * @param workDir the node's own folder, created if missing
     * @param heap e.g. "512m"
     */
    public record Config(
            String name,
            String version,
            String address,
            int httpPort,
            int transportPort,
            int remoteClusterPort,
            String certificateCommonName,
            Path workDir,
            String heap) {
        public Config {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(certificateCommonName, "certificateCommonName");
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(heap, "heap");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("unsupported node name: " + name);
            }
            if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException("address must be an IPv4 address: " + address);
            }
            if (!certificateCommonName.matches("[A-Za-z0-9*_.-]+")) {
                throw new IllegalArgumentException("unsupported certificate common name: " + certificateCommonName);
            }
            if (!HEAP.matcher(heap).matches()) {
                throw new IllegalArgumentException("heap must look like 512m: " + heap);
            }
            workDir = workDir.toAbsolutePath().normalize();
        }
    }

    private final Config config;
    private final ProcessReaper reaper;
    private final Path home;
    private final Path javaHome;
    private final Layout layout;
    private final String password;
    private final URI httpUri;
    private final Object keystoreLock = new Object();
    private volatile long pid = -1;

    private ElasticsearchNode(Config config, ProcessReaper reaper, Path home, Path javaHome, Layout layout, String password) {
        this.config = config;
        this.reaper = reaper;
        this.home = home;
        this.javaHome = javaHome;
        this.layout = layout;
        this.password = password;
        this.httpUri = URI.create("http://" + config.address() + ":" + config.httpPort());
    }

    /**
     * Starts the node ({@code bin/elasticsearch -d -p pidfile} as the unprivileged user), registers it with the
     * reaper, waits until the cluster health is at least yellow and the trial license is active. Reuses the
     * workDir's contents (data, CA, keystore) when they exist, so a restart keeps state.
     */
    public static ElasticsearchNode start(Config config, ProcessReaper reaper) throws IOException {
        Objects.requireNonNull(reaper, "reaper");
        long begin = System.nanoTime();
        Path javaHome = ElasticsearchJava.homeFor(config.version());
        ElasticsearchUser user = ElasticsearchUser.get();
        Path home = user.usableHome(CrosslinkPaths.elasticsearchHome(config.version()), config.version());
        Layout layout = Layout.prepare(config.workDir(), config.name(), user);
        String password = layout.password();
        ElasticsearchNode node = new ElasticsearchNode(config, reaper, home, javaHome, layout, password);
        node.configure();
        node.launch(begin);
        return node;
    }

    public Config config() {
        return config;
    }

    /** http://address:httpPort */
    public URI httpUri() {
        return httpUri;
    }

    /** The Java home the node runs with ({@code ES_JAVA_HOME}), chosen by {@link ElasticsearchJava}'s rule. */
    public Path javaHome() {
        return javaHome;
    }

    /**
     * The version the running node reports in {@code GET /_nodes/_local} (the integ-test distribution answers
     * {@code GET /} with 405).
     */
    public String runningVersion() throws IOException {
        HttpResponse<String> response = send("GET", "/_nodes/_local?filter_path=nodes.*.version", null, Duration.ofSeconds(10));
        Matcher version = NODE_VERSION.matcher(response.body());
        if (response.statusCode() != 200 || !version.find()) {
            throw new IOException("GET /_nodes/_local on node " + config.name() + ": HTTP " + response.statusCode() + " "
                    + abbreviate(response.body()));
        }
        return version.group(1);
    }

    /** The file-realm superuser created before the first start. */
    public String username() {
        return SUPERUSER;
    }

    /** The superuser's password: random, generated once per workDir and kept there (readable by root only). */
    public String password() {
        return password;
    }

    /** This node's own CA certificate (PEM). */
    public Path caCertificatePem() {
        return layout.caCertificate();
    }

    /**
     * The PEM bundle the transport layer trusts ({@code certificate_authorities}); initially only the node's own
     * CA. Elasticsearch reloads it when it changes.
     */
    public Path trustedCertificatesPem() {
        return layout.trustedCertificates();
    }

    /**
     * The YAML file of {@code xpack.security.transport.ssl.trust_restrictions.path}; initially
     * {@code trust.subject_name: ["*.<own common name minus its first label>"]}. Elasticsearch reloads it.
     */
    public Path trustRestrictionsFile() {
        return layout.trustRestrictions();
    }

    /** {@code elasticsearch-keystore add --stdin --force} as the node's user; the value goes through stdin only. */
    public void addKeystoreEntry(String name, String value) throws IOException {
        requireSettingName(name);
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("keystore value of " + name + " must be a single line");
        }
        synchronized (keystoreLock) {
            tool("elasticsearch-keystore", List.of("add", "--stdin", "--force", name), value + "\n", List.of());
        }
    }

    /** Removes a keystore entry; no error when it is absent. */
    public void removeKeystoreEntry(String name) throws IOException {
        requireSettingName(name);
        synchronized (keystoreLock) {
            try {
                tool("elasticsearch-keystore", List.of("remove", name), null, List.of());
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("does not exist in the keystore")) {
                    throw e;
                }
            }
        }
    }

    /** The names of the keystore's entries, without {@code keystore.seed}. */
    public List<String> keystoreEntries() throws IOException {
        synchronized (keystoreLock) {
            String out = tool("elasticsearch-keystore", List.of("list"), null, List.of());
            List<String> names = new ArrayList<>();
            for (String line : out.split("\\R")) {
                String entry = line.trim();
                if (!entry.isEmpty() && !entry.equals("keystore.seed") && !entry.startsWith("warning:")) {
                    names.add(entry);
                }
            }
            return names;
        }
    }

    /** {@code POST /_nodes/reload_secure_settings} as the superuser. */
    public void reloadSecureSettings() throws IOException {
        HttpResponse<String> response = send("POST", "/_nodes/reload_secure_settings", "{}", Duration.ofSeconds(30));
        String body = response.body();
        Matcher failed = FAILED_NODES.matcher(body);
        if (response.statusCode() != 200 || !failed.find() || !failed.group(1).equals("0") || body.contains("reload_exception")) {
            throw new IOException("reload_secure_settings on node " + config.name() + " failed: HTTP " + response.statusCode()
                    + " " + body);
        }
    }

    /** Stops, then starts with the same config and workDir; returns once the node is up again. */
    public void restart() throws IOException {
        long begin = System.nanoTime();
        stop();
        configure();
        launch(begin);
    }

    /** Graceful stop via the pid (TERM, then KILL after a grace period); forgets it in the reaper. Idempotent. */
    public synchronized void stop() {
        if (pid <= 0) {
            return;
        }
        long stopping = pid;
        long begin = System.nanoTime();
        ProcessReaper.terminate(stopping, STOP_GRACE_SECONDS);
        reaper.forget(stopping);
        pid = -1;
        LOG.infof("node %s stopped in %.1f s", config.name(), seconds(begin));
    }

    public boolean isRunning() {
        long current = pid;
        return current > 0 && ProcessHandle.of(current).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The pid of the running node, or -1. */
    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ElasticsearchNode[" + config.name() + " " + httpUri + "]";
    }

    // ---------------------------------------------------------------- start

    /** Writes the node's configuration; reuses CA, keystore, users, trust files and data that exist. */
    private void configure() throws IOException {
        ElasticsearchUser user = ElasticsearchUser.get();
        layout.copyDefaultConfig(home);
        writeJvmOptions();
        writeCertificates();
        writeElasticsearchYml();
        user.chownTree(layout.config());
        if (!Files.exists(layout.config().resolve("elasticsearch.keystore"))) {
            tool("elasticsearch-keystore", List.of("create"), null, List.of());
        }
        ensureSuperuser();
    }

    private void writeJvmOptions() throws IOException {
        Path logs = layout.logs();
        // The distribution's jvm.options, with the GC log in the node's logs folder (it is relative to the
        // server's working directory otherwise) and fewer, smaller GC log files. 8.15 writes "logs/gc.log",
        // later versions "gc.log".
        String options = Files.readString(home.resolve("config/jvm.options"), StandardCharsets.UTF_8)
                .replaceAll("(?m)^(-Xlog:gc[^\\n]*:file=)(?:logs/)?gc\\.log(:[^:\\n]*):filecount=\\d+,filesize=\\w+",
                        "$1" + Matcher.quoteReplacement(logs.resolve("gc.log").toString()) + "$2:filecount=2,filesize=16m");
        write(layout.config().resolve("jvm.options"), options);
        Files.createDirectories(layout.config().resolve("jvm.options.d"));
        write(layout.config().resolve("jvm.options.d/crosslink.options"),
                "# Written by Crosslink's ElasticsearchNode on every start.\n-Xms" + config.heap() + "\n-Xmx" + config.heap() + "\n");
    }

    private void writeCertificates() throws IOException {
        Files.createDirectories(layout.certs());
        CertificateAuthority ca;
        if (Files.isRegularFile(layout.caCertificate()) && Files.isRegularFile(layout.caKey())) {
            ca = CertificateAuthority.load(layout.caCertificate(), layout.caKey());
        } else {
            ca = CertificateAuthority.create("Crosslink CA " + config.name());
            ca.write(layout.caCertificate(), layout.caKey());
            // A new CA invalidates what the previous one signed.
            Files.deleteIfExists(layout.trustedCertificates());
        }
        // Re-issued on every start: the address or the common name may have changed.
        ca.issueNodeCertificate(config.certificateCommonName(), List.of(config.name()), List.of(config.address()))
                .write(layout.nodeCertificate(), layout.nodeKey());
        if (!Files.isRegularFile(layout.trustedCertificates())) {
            write(layout.trustedCertificates(), CertificateAuthority.toPem(ca.certificate()));
        }
        if (!Files.isRegularFile(layout.trustRestrictions())) {
            write(layout.trustRestrictions(), "trust.subject_name: [" + yamlString(ownTrustPattern()) + "]\n");
        }
    }

    /** {@code *.<cn minus its first label>}: trusts the nodes of this cluster only. */
    private String ownTrustPattern() {
        String cn = config.certificateCommonName();
        int dot = cn.indexOf('.');
        return dot < 0 || dot == cn.length() - 1 ? cn : "*" + cn.substring(dot);
    }

    private void writeElasticsearchYml() throws IOException {
        String address = yamlString(config.address());
        StringBuilder yml = new StringBuilder()
                .append("# Written by Crosslink's ElasticsearchNode on every start: edits are lost.\n")
                .append("cluster.name: ").append(yamlString(config.name())).append('\n')
                .append("node.name: ").append(yamlString(config.name())).append('\n')
                .append("discovery.type: single-node\n")
                .append("path.data: ").append(yamlString(layout.data().toString())).append('\n')
                .append("path.logs: ").append(yamlString(layout.logs().toString())).append('\n')
                .append("network.host: ").append(address).append('\n')
                .append("http.host: ").append(address).append('\n')
                .append("http.port: ").append(config.httpPort()).append('\n')
                .append("transport.host: ").append(address).append('\n')
                .append("transport.port: ").append(config.transportPort()).append('\n')
                .append("xpack.security.enabled: true\n")
                .append("xpack.security.http.ssl.enabled: false\n")
                .append("xpack.security.transport.ssl.enabled: true\n")
                .append("xpack.security.transport.ssl.key: ").append(yamlString(layout.nodeKey().toString())).append('\n')
                .append("xpack.security.transport.ssl.certificate: ").append(yamlString(layout.nodeCertificate().toString())).append('\n')
                .append("xpack.security.transport.ssl.certificate_authorities: [")
                .append(yamlString(layout.trustedCertificates().toString())).append("]\n")
                .append("xpack.security.transport.ssl.verification_mode: certificate\n")
                .append("xpack.security.transport.ssl.trust_restrictions.path: ")
                .append(yamlString(layout.trustRestrictions().toString())).append('\n')
                .append("xpack.license.self_generated.type: trial\n")
                .append("remote_cluster_server.enabled: true\n")
                .append("remote_cluster.host: ").append(address).append('\n')
                .append("remote_cluster.port: ").append(config.remoteClusterPort()).append('\n')
                .append("xpack.security.remote_cluster_server.ssl.enabled: false\n")
                .append("xpack.security.remote_cluster_client.ssl.enabled: false\n")
                .append("resource.reload.interval.high: 2s\n")
                .append("cluster.routing.allocation.disk.threshold_enabled: false\n");
        write(layout.config().resolve("elasticsearch.yml"), yml.toString());
    }

    private void ensureSuperuser() throws IOException {
        Path users = layout.config().resolve("users");
        boolean exists = Files.isRegularFile(users)
                && Files.readAllLines(users, StandardCharsets.UTF_8).stream().anyMatch(l -> l.startsWith(SUPERUSER + ":"));
        if (exists && !layout.passwordIsNew()) {
            return;
        }
        if (exists) {
            // The password file was lost: give the existing user the new password.
            tool("elasticsearch-users", List.of("passwd", SUPERUSER, "-p", password), null, List.of(password));
        } else {
            tool("elasticsearch-users", List.of("useradd", SUPERUSER, "-p", password, "-r", "superuser"), null, List.of(password));
        }
        layout.passwordStored();
    }

    private synchronized void launch(long begin) throws IOException {
        if (pid > 0) {
            throw new IllegalStateException("node " + config.name() + " is already running (pid " + pid + ")");
        }
        Path pidFile = layout.run().resolve("elasticsearch.pid");
        Path startupOutput = layout.run().resolve("startup.out");
        Files.deleteIfExists(pidFile);
        Files.writeString(startupOutput, "", StandardCharsets.UTF_8);
        LOG.infof("starting Elasticsearch %s node %s on %s (http %d, transport %d, remote cluster %d, heap %s, Java %s) in %s",
                config.version(), config.name(), config.address(), config.httpPort(), config.transportPort(),
                config.remoteClusterPort(), config.heap(), javaHome, config.workDir());

        ProcessBuilder builder = processBuilder(home.resolve("bin/elasticsearch").toString(), List.of("-d", "-p", pidFile.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(startupOutput.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Process cli = builder.start();
        try {
            // bin/elasticsearch -d returns once the node is up; watch the server as soon as its pid file shows up.
            while (cli.isAlive() || pid <= 0) {
                if (pid <= 0) {
                    long found = readPid(pidFile);
                    if (found > 0) {
                        pid = found;
                        reaper.watch("elasticsearch-" + config.name(), pid);
                    }
                }
                if (!cli.isAlive()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + config.name() + " did not start within " + START_TIMEOUT.toSeconds() + " s");
                }
                cli.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            if (cli.exitValue() != 0) {
                throw new IOException("bin/elasticsearch -d for node " + config.name() + " exited with " + cli.exitValue());
            }
            if (pid <= 0) {
                pid = readPid(pidFile);
                if (pid <= 0) {
                    throw new IOException("node " + config.name() + " started but wrote no pid to " + pidFile);
                }
                reaper.watch("elasticsearch-" + config.name(), pid);
            }
            awaitReady(deadline);
            String running = runningVersion();
            if (!running.equals(config.version())) {
                throw new IOException("node " + config.name() + " runs Elasticsearch " + running + ", not " + config.version()
                        + " (" + home + ")");
            }
        } catch (IOException | RuntimeException e) {
            cli.destroyForcibly();
            abortStart();
            throw new IOException(e.getMessage() + "\n" + diagnostics(startupOutput), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cli.destroyForcibly();
            abortStart();
            throw new IOException("interrupted while starting node " + config.name(), e);
        }
        LOG.infof("node %s up on %s in %.1f s (pid %d, RSS %d MiB)", config.name(), config.address(), seconds(begin), pid,
                rssMiB(pid));
    }

    private void abortStart() {
        long started = pid > 0 ? pid : readPid(layout.run().resolve("elasticsearch.pid"));
        if (started > 0) {
            ProcessReaper.terminate(started, 10);
            reaper.forget(started);
        }
        pid = -1;
    }

    private void awaitReady(long deadline) throws IOException, InterruptedException {
        String lastProblem = "no answer yet";
        boolean healthy = false;
        while (System.nanoTime() < deadline) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IOException("node " + config.name() + " (pid " + pid + ") exited during start-up");
            }
            try {
                if (!healthy) {
                    HttpResponse<String> health = send("GET", "/_cluster/health?wait_for_status=yellow&timeout=2s", null,
                            Duration.ofSeconds(10));
                    Matcher status = HEALTH_STATUS.matcher(health.body());
                    healthy = health.statusCode() == 200 && status.find() && !status.group(1).equals("red");
                    lastProblem = "cluster health: HTTP " + health.statusCode() + " " + abbreviate(health.body());
                }
                if (healthy) {
                    HttpResponse<String> license = send("GET", "/_license", null, Duration.ofSeconds(10));
                    Matcher type = LICENSE_TYPE.matcher(license.body());
                    Matcher status = LICENSE_STATUS.matcher(license.body());
                    if (license.statusCode() == 200 && type.find() && type.group(1).equals("trial") && status.find()
                            && status.group(1).equals("active")) {
                        return;
                    }
                    lastProblem = "license: HTTP " + license.statusCode() + " " + abbreviate(license.body());
                }
            } catch (ConnectException e) {
                lastProblem = "cannot connect to " + httpUri;
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IOException("node " + config.name() + " not ready within " + START_TIMEOUT.toSeconds() + " s: " + lastProblem);
    }

    private String diagnostics(Path startupOutput) {
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(startupOutput).append(" (tail) ---\n").append(tail(startupOutput, 30));
        Path log = layout.logs().resolve(config.name() + ".log");
        out.append("--- ").append(log).append(" (tail) ---\n").append(tail(log, 60));
        return out.toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read: " + e + ")\n";
        }
    }

    private static long readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        return -1;
    }

    // ---------------------------------------------------------------- commands and HTTP

    /** Runs a tool of the home's bin/ as the node's user; returns its stdout. {@code secrets} are masked in errors. */
    private String tool(String tool, List<String> args, String stdin, List<String> secrets) throws IOException {
        Path out = Files.createTempFile("crosslink-es-tool", ".out");
        Path err = Files.createTempFile("crosslink-es-tool", ".err");
        String display = tool + " " + mask(String.join(" ", args), secrets);
        try {
            ProcessBuilder builder = processBuilder(home.resolve("bin").resolve(tool).toString(), args)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            long begin = System.nanoTime();
            Process process = builder.start();
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(display + " on node " + config.name() + " timed out");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String stderr = Files.readString(err, StandardCharsets.UTF_8);
                throw new IOException(display + " on node " + config.name() + " exited with " + process.exitValue() + ": "
                        + mask((stdout + "\n" + stderr).trim(), secrets));
            }
            LOG.debugf("%s on node %s took %.1f s", display, config.name(), seconds(begin));
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + display, e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private ProcessBuilder processBuilder(String executable, List<String> args) {
        List<String> command = new ArrayList<>(ElasticsearchUser.get().commandPrefix());
        command.add(executable);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        var env = builder.environment();
        for (String inherited : List.of("JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS", "CLI_JAVA_OPTS",
                "ES_HOME", "ES_JAVA_OPTS")) {
            env.remove(inherited);
        }
        env.put("ES_JAVA_HOME", javaHome.toString());
        env.put("ES_PATH_CONF", layout.config().toString());
        env.put("ES_TMPDIR", layout.tmp().toString());
        env.put("ES_JAVA_OPTS", "");
        env.put("LC_ALL", "C.UTF-8");
        return builder;
    }

    private HttpResponse<String> send(String method, String path, String body, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(httpUri.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((SUPERUSER + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + method + " " + path, e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void write(Path file, String content) throws IOException {
        CertificateAuthority.writeString(file, content, false);
    }

    private static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void requireSettingName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException("unsupported keystore setting name: " + name);
        }
    }

    private static String mask(String text, List<String> secrets) {
        String masked = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                masked = masked.replace(secret, "********");
            }
        }
        return masked;
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The folders and files of one node's workDir. */
    private static final class Layout {
        private final Path root;
        private final ElasticsearchUser user;
        private String password;
        private boolean passwordIsNew;

        private Layout(Path root, ElasticsearchUser user) {
            this.root = root;
            this.user = user;
        }

        /**
         * Creates the folders (owned by the node's user). When the node's user cannot reach workDir (a parent
         * folder it may not traverse, e.g. under /root), workDir becomes a symbolic link to a folder under the
         * temporary directory, so paths under workDir stay valid for the caller.
         */
        static Layout prepare(Path workDir, String name, ElasticsearchUser user) throws IOException {
            Path root = user.reachableWorkDir(workDir, name);
            Layout layout = new Layout(root, user);
            Files.createDirectories(root);
            for (Path dir : List.of(layout.config(), layout.certs(), layout.data(), layout.logs(), layout.tmp(), layout.run())) {
                Files.createDirectories(dir);
            }
            user.chownTree(layout.data());
            user.chownTree(layout.logs());
            user.chownTree(layout.tmp());
            user.chownTree(layout.run());
            Files.createDirectories(layout.secrets());
            Files.setPosixFilePermissions(layout.secrets(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            return layout;
        }

        Path config() {
            return root.resolve("config");
        }

        Path certs() {
            return config().resolve("certs");
        }

        Path data() {
            return root.resolve("data");
        }

        Path logs() {
            return root.resolve("logs");
        }

        Path tmp() {
            return root.resolve("tmp");
        }

        Path run() {
            return root.resolve("run");
        }

        Path secrets() {
            return root.resolve("secrets");
        }

        Path caCertificate() {
            return certs().resolve("ca.pem");
        }

        Path caKey() {
            return secrets().resolve("ca.key");
        }

        Path nodeCertificate() {
            return certs().resolve("node.pem");
        }

        Path nodeKey() {
            return certs().resolve("node.key");
        }

        Path trustedCertificates() {
            return certs().resolve("trusted-cas.pem");
        }

        Path trustRestrictions() {
            return certs().resolve("trust-restrictions.yml");
        }

        /** The superuser's password, generated and stored (root only) on first use. */
        synchronized String password() throws IOException {
            if (password == null) {
                Path file = secrets().resolve("password");
                if (Files.isRegularFile(file)) {
                    password = Files.readString(file, StandardCharsets.UTF_8).trim();
                }
                if (password == null || password.isEmpty()) {
                    password = newPassword();
                    passwordIsNew = true;
                    CertificateAuthority.writeString(file, password + "\n", true);
                }
            }
            return password;
        }

        synchronized boolean passwordIsNew() {
            return passwordIsNew;
        }

        synchronized void passwordStored() {
            passwordIsNew = false;
        }

        /** Copies the distribution's config files the node needs on first start (never overwrites). */
        void copyDefaultConfig(Path home) throws IOException {
            try (var files = Files.list(home.resolve("config"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = config().resolve(file.getFileName());
                    if (!Files.exists(target)) {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }
}
