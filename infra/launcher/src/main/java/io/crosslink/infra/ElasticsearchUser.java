package io.crosslink.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Who Elasticsearch processes run as. Elasticsearch refuses to run as root, so when this JVM is root they run as
 * the system user {@value #NAME} (created once, safely against concurrent creation) through
 * {@code runuser -u crosslink-es --}; otherwise as the current user. Also makes sure that user can read the
 * Elasticsearch home and reach the nodes' folders. The only shared mutable state of {@link ElasticsearchNode}s
 * lives here, guarded by locks (within this JVM and, for the home copy, across JVMs).
 */
final class ElasticsearchUser {
    private static final Logger LOG = Logger.getLogger(ElasticsearchUser.class);

    static final String NAME = "crosslink-es";
    private static final Object LOCK = new Object();
    private static final String STAMP_FILE = ".crosslink-home-stamp";
    private static volatile ElasticsearchUser instance;

    private final boolean root;
    private UserPrincipal owner;
    private GroupPrincipal group;

    private ElasticsearchUser(boolean root) {
        this.root = root;
    }

    /** The user of this JVM's Elasticsearch processes; creates {@value #NAME} on first use when running as root. */
    static ElasticsearchUser get() {
        ElasticsearchUser user = instance;
        if (user != null) {
            return user;
        }
        synchronized (LOCK) {
            if (instance == null) {
                boolean root = "0".equals(run(List.of("id", "-u")).output().trim());
                ElasticsearchUser created = new ElasticsearchUser(root);
                if (root) {
                    created.ensureSystemUser();
                }
                instance = created;
            }
            return instance;
        }
    }

    boolean isRoot() {
        return root;
    }

    /** Put before a command to run it as the node's user. */
    List<String> commandPrefix() {
        return root ? List.of("runuser", "-u", NAME, "--") : List.of();
    }

    /** Gives a file or folder tree to the node's user (symbolic links are not followed); no-op unless root. */
    void chownTree(Path top) throws IOException {
        if (!root || !Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.toList()) {
                chown(path);
            }
        }
    }

    void chown(Path path) throws IOException {
        if (!root) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(owner);
        if (group != null) {
            view.setGroup(group);
        }
    }

    /**
     * The home to run: {@code home} itself when the node's user can read it, else a copy under
     * {@code java.io.tmpdir/crosslink-es-home/<version>}, made (or refreshed when the build changed the home) once.
     */
    Path usableHome(Path home, String version) throws IOException {
        home = home.toAbsolutePath().normalize();
        if (!root || canAccess(home.resolve("lib/elasticsearch-" + version + ".jar"), "-r")
                && canAccess(home.resolve("plugins/crosslink-analysis/plugin-descriptor.properties"), "-r")) {
            return home;
        }
        Path sharedRoot = Path.of(System.getProperty("java.io.tmpdir"), "crosslink-es-home");
        Path shared = sharedRoot.resolve(version);
        synchronized (LOCK) {
            Files.createDirectories(sharedRoot);
            Files.setPosixFilePermissions(sharedRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (FileChannel channel = FileChannel.open(sharedRoot.resolve(version + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                String stamp = stamp(home);
                Path stampFile = shared.resolve(STAMP_FILE);
                if (Files.isRegularFile(stampFile) && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp)) {
                    return shared;
                }
                long begin = System.nanoTime();
                Path fresh = sharedRoot.resolve(version + ".tmp-" + ProcessHandle.current().pid());
                deleteTree(fresh);
                copyTree(home, fresh);
                Files.writeString(fresh.resolve(STAMP_FILE), stamp, StandardCharsets.UTF_8);
                if (Files.exists(shared)) {
                    Path old = sharedRoot.resolve(version + ".old-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
                    Files.move(shared, old, StandardCopyOption.ATOMIC_MOVE);
                    deleteTree(old);
                }
                Files.move(fresh, shared, StandardCopyOption.ATOMIC_MOVE);
                LOG.infof("%s cannot read %s: copied it to %s in %.1f s", NAME, home, shared, (System.nanoTime() - begin) / 1e9);
                return shared;
            }
        }
    }

    /**
     * The folder to use for a node's workDir: workDir itself when the node's user can reach it, else (as root,
     * with a parent the user may not traverse) a folder under {@code java.io.tmpdir/crosslink-es-nodes} that
     * workDir is made a symbolic link to. Returns the real folder, created and owned by the node's user.
     */
    Path reachableWorkDir(Path workDir, String name) throws IOException {
        workDir = workDir.toAbsolutePath().normalize();
        if (!root) {
            Files.createDirectories(workDir);
            return workDir;
        }
        if (Files.isSymbolicLink(workDir)) {
            Path target = Files.readSymbolicLink(workDir);
            target = workDir.resolveSibling(target).normalize();
            Files.createDirectories(target);
            chown(target);
            return target;
        }
        Path parent = workDir.getParent();
        Files.createDirectories(parent);
        if (canAccess(parent, "-x")) {
            Files.createDirectories(workDir);
            chown(workDir);
            return workDir;
        }
        if (Files.isDirectory(workDir)) {
            try (Stream<Path> entries = Files.list(workDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(NAME + " cannot reach " + workDir + " (a parent folder is not traversable by it):"
                            + " make the parents traversable (chmod o+x) or use a workDir under " + System.getProperty("java.io.tmpdir"));
                }
            }
            Files.delete(workDir);
        }
        String hash = HexFormat.of().formatHex(sha256(workDir.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        Path nodesRoot = Path.of(System.getProperty("java.io.tmpdir"), "crosslink-es-nodes");
        Path shadow = nodesRoot.resolve(name + "-" + hash);
        synchronized (LOCK) {
            Files.createDirectories(nodesRoot);
            Files.setPosixFilePermissions(nodesRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        deleteTree(shadow); // workDir is new, so is its state
        Files.createDirectories(shadow);
        chown(shadow);
        Files.createSymbolicLink(workDir, shadow);
        LOG.infof("%s cannot reach %s: the node's folder is %s (linked from there)", NAME, workDir, shadow);
        return shadow;
    }

    private boolean canAccess(Path path, String testFlag) {
        List<String> command = new ArrayList<>(commandPrefix());
        command.addAll(List.of("test", testFlag, path.toString()));
        return run(command).exitCode() == 0;
    }

    private void ensureSystemUser() {
        if (run(List.of("id", "-u", NAME)).exitCode() != 0) {
            String shell = Files.isExecutable(Path.of("/usr/sbin/nologin")) ? "/usr/sbin/nologin" : "/bin/false";
            Result last = null;
            for (int attempt = 0; attempt < 10; attempt++) {
                last = run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell", shell, NAME));
                // 0: created; 9: created meanwhile by someone else. Anything else (e.g. /etc/passwd locked by a
                // concurrent useradd): look again, then retry.
                if (last.exitCode() == 0 || last.exitCode() == 9 || run(List.of("id", "-u", NAME)).exitCode() == 0) {
                    break;
                }
                sleep(200L * (attempt + 1));
            }
            if (run(List.of("id", "-u", NAME)).exitCode() != 0) {
                throw new IllegalStateException("cannot create the system user " + NAME + ": " + (last == null ? "?" : last.output()));
            }
            LOG.infof("created system user %s to run Elasticsearch (it refuses to run as root)", NAME);
        }
        try {
            UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            owner = lookup.lookupPrincipalByName(NAME);
            try {
                group = lookup.lookupPrincipalByGroupName(NAME);
            } catch (IOException noGroup) {
                group = null;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot look up user " + NAME, e);
        }
    }

    /** Digest of the home's file names, sizes and modification times: changes whenever the build changes the home. */
    private static String stamp(Path home) throws IOException {
        MessageDigest digest = newDigest();
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                digest.update((home.relativize(path) + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
                permissions.add(PosixFilePermission.OWNER_READ);
                permissions.add(PosixFilePermission.GROUP_READ);
                permissions.add(PosixFilePermission.OTHERS_READ);
                if (permissions.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    permissions.add(PosixFilePermission.GROUP_EXECUTE);
                    permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(target, permissions);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a short command; output (stdout and stderr) is returned, never logged. */
    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
