package io.crosslink.cloudsim.keystore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * cloud-sim's end of one node's keystore helper ({@link KeystoreHelperMain}): a long-lived JVM on the node's own
 * Java, as the node's user, with the node's {@code lib/} on its classpath, that edits the node's
 * {@code elasticsearch.keystore} with Elasticsearch's KeyStoreWrapper. Values go to it on its stdin only (Base64),
 * never on a command line, never in a log or an exception message. One request at a time; a request that gets no
 * answer within the timeout kills the helper (the caller may start a new one). Thread-safe.
 */
public final class KeystoreHelper implements AutoCloseable {
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_\\-.]+");
    private static final String MAIN = KeystoreHelperMain.class.getName();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "keystore-helper-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * How to start a helper.
     *
     * @param node the node's name, for messages
     * @param configDir the node's config folder (ES_PATH_CONF), which holds {@code elasticsearch.keystore}
     * @param java the node's {@code java} executable
     * @param home the node's Elasticsearch home: its {@code lib/} is the helper's classpath
     * @param runDir a folder of the node's the helper's user can read: the helper's class file and its stderr log go here
     * @param runAs the user to run as ({@code runuser -u <user> --}), or null for this process's user
     * @param fastSave let the helper write with the salt and key of the file it read (see {@link KeystoreHelperMain})
     * @param timeout for starting and for each request
     */
    public record Launch(String node, Path configDir, Path java, Path home, Path runDir, String runAs, boolean fastSave,
            Duration timeout) {
        public Launch {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(configDir, "configDir");
            Objects.requireNonNull(java, "java");
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(runDir, "runDir");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** The command line: no setting name, no value, ever. */
        public List<String> command() {
            List<String> command = new ArrayList<>();
            if (runAs != null) {
                command.addAll(List.of("runuser", "-u", runAs, "--"));
            }
            command.addAll(List.of(java.toString(), "-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                    "-Dfile.encoding=UTF-8",
                    "-cp", runDir.resolve("classes") + ":" + home.resolve("lib") + "/*",
                    MAIN, configDir.toString(), fastSave ? "--fast-save" : "--standard-save"));
            return command;
        }

        Path log() {
            return runDir.resolve("keystore-helper.log");
        }
    }

    /** A request the helper answered with an error (Elasticsearch refused it): the helper itself is fine. */
    public static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    private final Launch launch;
    private final Process process;
    private final OutputStream requests;
    private final BufferedReader answers;
    private final long pid;
    private volatile boolean broken;

    private KeystoreHelper(Launch launch, Process process, long pid) {
        this.launch = launch;
        this.process = process;
        this.requests = process.getOutputStream();
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.pid = pid;
    }

    /** Starts the helper and waits for it to be ready (its Java running, KeyStoreWrapper found). */
    public static KeystoreHelper start(Launch launch) throws IOException {
        installClass(launch.runDir());
        ProcessBuilder builder = new ProcessBuilder(launch.command())
                .directory(launch.runDir().toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(launch.log().toFile()));
        Map<String, String> env = builder.environment();
        for (String inherited : List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "JAVA_OPTS")) {
            env.remove(inherited);
        }
        env.put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        KeystoreHelper helper = new KeystoreHelper(launch, process, process.pid());
        String ready = helper.exchange(null, "start");
        if (!ready.startsWith("READY ")) {
            helper.kill();
            throw new IOException("keystore helper of node " + launch.node() + " did not start: " + ready + tail(launch.log()));
        }
        return helper;
    }

    /** The setting names, sorted, without {@code keystore.seed}. */
    public synchronized List<String> list() throws IOException {
        String names = ok(exchange("LIST", "LIST"));
        return names.isEmpty() ? List.of() : List.of(names.split(" "));
    }

    /**
     * Applies the changes in order (a null value removes the entry; removing an absent one is no error) and saves
     * the keystore once. Returns whether the file was written. All or nothing: a refused request changes nothing.
     */
    public synchronized boolean apply(Map<String, String> changes) throws IOException {
        StringBuilder request = new StringBuilder("APPLY");
        Map<String, String> ordered = new LinkedHashMap<>(changes);
        for (Map.Entry<String, String> change : ordered.entrySet()) {
            requireSettingName(change.getKey());
            request.append(' ');
            if (change.getValue() == null) {
                request.append('-').append(change.getKey());
            } else {
                request.append('+').append(change.getKey()).append('=')
                        .append(Base64.getEncoder().encodeToString(change.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
        String answer = ok(exchange(request.toString(), "APPLY of " + ordered.size() + " change(s)"));
        return answer.equals("saved");
    }

    /** SHA-256 (hex) of an entry's value as the keystore file holds it, or null when absent: lets tests check values. */
    public synchronized String digest(String name) throws IOException {
        requireSettingName(name);
        String digest = ok(exchange("DIGEST " + name, "DIGEST"));
        return digest.equals("-") ? null : digest;
    }

    /** {@code <pid> <java version> fast-save|standard-save}. */
    public synchronized String ping() throws IOException {
        return ok(exchange("PING", "PING"));
    }

    /** The helper's pid (the {@code runuser} in front of it when it runs as another user). */
    public long pid() {
        return pid;
    }

    public Launch launch() {
        return launch;
    }

    /** False once it died, timed out or broke the protocol: start a new one. */
    public boolean isAlive() {
        return !broken && process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            try {
                requests.write("QUIT\n".getBytes(StandardCharsets.UTF_8));
                requests.flush();
                requests.close();
                if (process.waitFor(5, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (IOException ignored) {
                // gone already
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kill();
    }

    /** Kills the helper (and the Java under runuser) at once, as a crash would. */
    public void kill() {
        broken = true;
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            requests.close();
        } catch (IOException ignored) {
            // closed
        }
    }

    // ---------------------------------------------------------------- protocol

    /** Sends a request (null: none, just read) and reads the answer line; kills the helper when none comes in time. */
    private String exchange(String request, String display) throws IOException {
        if (broken) {
            throw new IOException("keystore helper of node " + launch.node() + " is not running");
        }
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(this::kill, launch.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (request != null) {
                requests.write((request + "\n").getBytes(StandardCharsets.UTF_8));
                requests.flush();
            }
            String answer = answers.readLine();
            if (answer == null) {
                broken = true;
                throw new IOException("keystore helper of node " + launch.node() + " ended during " + display
                        + (watchdog.isDone() ? " (no answer within " + launch.timeout().toSeconds() + " s)" : "")
                        + tail(launch.log()));
            }
            return answer;
        } catch (IOException e) {
            broken = true;
            if (e.getMessage() != null && e.getMessage().startsWith("keystore helper")) {
                throw e;
            }
            throw new IOException("keystore helper of node " + launch.node() + " failed during " + display + ": " + e, e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private String ok(String answer) throws IOException {
        if (answer.equals("OK")) {
            return "";
        }
        if (answer.startsWith("OK ")) {
            return answer.substring(3);
        }
        if (answer.startsWith("ERR ")) {
            throw new RefusedException("keystore of node " + launch.node() + ": " + answer.substring(4));
        }
        broken = true;
        kill();
        throw new IOException("keystore helper of node " + launch.node() + " answered out of protocol");
    }

    private static void requireSettingName(String name) {
        if (name == null || !SETTING_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("unsupported keystore setting name: " + name);
        }
    }

    /** Copies the helper's class file out of cloud-sim into {@code runDir/classes}, readable by the node's user. */
    private static synchronized void installClass(Path runDir) throws IOException {
        String resource = MAIN.replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = KeystoreHelper.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("cannot find " + resource + " in cloud-sim's classpath");
            }
            bytes = in.readAllBytes();
        }
        Path target = runDir.resolve("classes").resolve(resource);
        Files.createDirectories(target.getParent());
        for (Path dir = target.getParent(); dir.startsWith(runDir); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return;
        }
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temporary, bytes);
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 10), lines.size());
            return last.isEmpty() ? "" : "\n--- " + log + " (tail) ---\n" + String.join("\n", last);
        } catch (IOException e) {
            return "";
        }
    }
}
