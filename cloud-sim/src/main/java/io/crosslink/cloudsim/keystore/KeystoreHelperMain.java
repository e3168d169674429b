package io.crosslink.cloudsim.keystore;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keystore helper ({@code KeystoreHelperMain <config dir> [--fast-save|--standard-save]}): a long-lived process
 * per Elasticsearch node, started by {@link KeystoreHelper} on the node's
 * own Java, as the node's user, with the node's {@code lib/} on its classpath. It edits the node's
 * {@code elasticsearch.keystore} through Elasticsearch's own {@code org.elasticsearch.common.settings.KeyStoreWrapper}
 * (load, decrypt with the empty password, setString / remove, save) -- exactly what {@code elasticsearch-keystore}
 * does, without starting a JVM per change.
 *
 * <p>Runs outside cloud-sim, on the JDK and Elasticsearch's jars only: no nested classes (the class file is copied
 * alone), Elasticsearch reached by reflection (cloud-sim is not compiled against it).
 *
 * <p>Protocol: one request per line on stdin, one answer per line on stdout ({@code OK ...} or
 * {@code ERR <message>}); stdout carries nothing else. Values arrive Base64-encoded (UTF-8) on stdin only, are
 * never written anywhere but the keystore, and never appear in an answer or on stderr.
 * <pre>
 * PING                          OK &lt;pid&gt; &lt;java version&gt; fast-save|standard-save
 * LIST                          OK &lt;name&gt; &lt;name&gt; ...        sorted, without keystore.seed
 * APPLY +&lt;name&gt;=&lt;b64&gt; -&lt;name&gt; ... OK saved | OK unchanged  all changes, then one save
 * DIGEST &lt;name&gt;                 OK &lt;sha-256 hex of the value&gt; | OK -   (for tests)
 * QUIT                          (exits)
 * </pre>
 * The decrypted keystore stays in memory between requests; it is loaded again whenever the file is not the one this
 * helper last read or wrote (another writer, e.g. the {@code elasticsearch-keystore} fallback). End of stdin ends the
 * helper, so it never outlives cloud-sim. With {@code --fast-save} a save costs milliseconds instead of a PBKDF2 key
 * derivation (see "fast save" below).
 */
public final class KeystoreHelperMain {
    private static final String WRAPPER = "org.elasticsearch.common.settings.KeyStoreWrapper";
    private static final String FILE = "elasticsearch.keystore";
    private static final String SEED = "keystore.seed";

    private final Path configDir;
    private final Path file;
    private final Class<?> wrapperClass;
    private final Method load;
    private final Method create;
    private final Method hasPassword;
    private final Method decrypt;
    private final Method setString;
    private final Method remove;
    private final Method names;
    private final Method save;
    private final Method digest;
    private final Method close;

    private final Method getFile;
    private final Method formatVersion;
    private final int currentVersion;
    private final SecureRandom random = new SecureRandom();

    /** The decrypted keystore, or null when it must be (re)loaded. */
    private Object keystore;
    /** Identity of the file {@link #keystore} came from or was saved to (inode, size, mtime). */
    private String stamp;

    /** Why the fast save is off for the rest of this helper's life, or null while it may be used. */
    private String fastOff;
    /** Salt and derived AES key of the loaded file, when the fast save may be used for it; else null. */
    private byte[] salt;
    private SecretKeySpec key;
    /** Whether Elasticsearch itself has read back a fast-saved file once. */
    private boolean fastVerified;

    private KeystoreHelperMain(Path configDir, boolean fastSave) throws ReflectiveOperationException {
        this.configDir = configDir;
        this.fastOff = fastSave ? null : "disabled";
        this.file = configDir.resolve(FILE);
        this.wrapperClass = Class.forName(WRAPPER);
        this.load = wrapperClass.getMethod("load", Path.class);
        this.create = wrapperClass.getMethod("create");
        this.hasPassword = wrapperClass.getMethod("hasPassword");
        this.decrypt = wrapperClass.getMethod("decrypt", char[].class);
        this.setString = wrapperClass.getMethod("setString", String.class, char[].class);
        this.remove = wrapperClass.getMethod("remove", String.class);
        this.names = wrapperClass.getMethod("getSettingNames");
        this.save = wrapperClass.getMethod("save", Path.class, char[].class);
        this.digest = wrapperClass.getMethod("getSHA256Digest", String.class);
        this.close = wrapperClass.getMethod("close");
        this.getFile = wrapperClass.getMethod("getFile", String.class);
        this.formatVersion = wrapperClass.getMethod("getFormatVersion");
        int current;
        try {
            current = wrapperClass.getField("CURRENT_VERSION").getInt(null);
        } catch (ReflectiveOperationException e) {
            current = -1;
        }
        this.currentVersion = current;
        if (currentVersion != FAST_VERSION && fastOff == null) {
            fastOff = "keystore format " + currentVersion + " is not " + FAST_VERSION;
        }
    }

    public static void main(String[] args) throws Exception {
        // stdout is the protocol channel: anything else printing to System.out goes to stderr.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        boolean fastSave = args.length == 2 && args[1].equals("--fast-save");
        if (args.length < 1 || args.length > 2 || args.length == 2 && !fastSave && !args[1].equals("--standard-save")) {
            answer(protocol, "ERR usage: KeystoreHelperMain <config dir> [--fast-save|--standard-save]");
            System.exit(2);
        }
        KeystoreHelperMain helper;
        try {
            helper = new KeystoreHelperMain(Path.of(args[0]).toAbsolutePath().normalize(), fastSave);
        } catch (ReflectiveOperationException | LinkageError e) {
            answer(protocol, "ERR Elasticsearch's KeyStoreWrapper is not usable: " + oneLine(e.toString()));
            System.exit(3);
            return;
        }
        answer(protocol, "READY " + ProcessHandle.current().pid() + " " + System.getProperty("java.version"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("QUIT")) {
                break;
            }
            answer(protocol, helper.handle(line));
        }
        helper.discard();
        System.exit(0);
    }

    private static void answer(OutputStream out, String line) throws java.io.IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String handle(String line) {
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        try {
            switch (command) {
                case "PING":
                    return "OK " + ProcessHandle.current().pid() + " " + System.getProperty("java.version") + " "
                            + (fastOff == null ? "fast-save" : "standard-save");
                case "LIST":
                    return "OK " + String.join(" ", list());
                case "APPLY":
                    return apply(rest.isEmpty() ? List.of() : Arrays.asList(rest.split(" ")));
                case "DIGEST":
                    return "OK " + digestOf(rest);
                default:
                    return "ERR unknown command [" + command + "]";
            }
        } catch (InvocationTargetException e) {
            discard();
            return "ERR " + describe(e.getCause());
        } catch (Exception | LinkageError e) {
            discard();
            return "ERR " + describe(e);
        }
    }

    private List<String> list() throws Exception {
        Object current = current(false);
        List<String> sorted = new ArrayList<>();
        for (Object name : (Set<?>) names.invoke(current)) {
            if (!SEED.equals(name)) {
                sorted.add((String) name);
            }
        }
        Collections.sort(sorted);
        return sorted;
    }

    private String digestOf(String name) throws Exception {
        Object current = current(false);
        if (!((Set<?>) names.invoke(current)).contains(name)) {
            return "-";
        }
        return HexFormat.of().formatHex((byte[]) digest.invoke(current, name));
    }

    /**
     * {@code +name=b64} sets (as {@code elasticsearch-keystore add --stdin --force}: creates the keystore when
     * missing), {@code -name} removes (absent: nothing). Saved once, only when something changed; any failure
     * discards the in-memory changes, so a failed request leaves the file as it was.
     */
    private String apply(List<String> operations) throws Exception {
        boolean adds = operations.stream().anyMatch(op -> op.startsWith("+"));
        Object current = current(adds);
        boolean changed = false;
        for (String op : operations) {
            if (op.startsWith("+")) {
                int equals = op.indexOf('=');
                if (equals < 2) {
                    throw new IllegalArgumentException("malformed operation");
                }
                String name = op.substring(1, equals);
                byte[] bytes = Base64.getDecoder().decode(op.substring(equals + 1));
                char[] value = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes)).toString().toCharArray();
                Arrays.fill(bytes, (byte) 0);
                try {
                    setString.invoke(current, name, value);
                } finally {
                    Arrays.fill(value, '\0');
                }
                changed = true;
            } else if (op.startsWith("-") && op.length() > 1) {
                String name = op.substring(1);
                if (((Set<?>) names.invoke(current)).contains(name)) {
                    remove.invoke(current, name);
                    changed = true;
                }
            } else {
                throw new IllegalArgumentException("malformed operation");
            }
        }
        if (!changed) {
            return "OK unchanged";
        }
        if (key != null && fastOff == null) {
            fastSave(current);
        } else {
            standardSave(current);
        }
        return "OK saved";
    }

    /** Elasticsearch's own save: a new salt, hence a new key derivation (PBKDF2, 210,000 rounds: ~0.2 s). */
    private void standardSave(Object current) throws Exception {
        save.invoke(current, configDir, new char[0]);
        stamp = stamp();
        prepareFastSave(current);
    }

    /** The decrypted keystore, reloaded when the file changed; created (not yet saved) when missing and allowed. */
    private Object current(boolean createIfMissing) throws Exception {
        String now = stamp();
        if (keystore != null && now != null && now.equals(stamp)) {
            return keystore;
        }
        discard();
        if (now == null) {
            if (!createIfMissing) {
                throw new IllegalStateException("Elasticsearch keystore not found at [" + file + "]");
            }
            keystore = create.invoke(null);
            return keystore;
        }
        Object loaded = load.invoke(null, configDir);
        if (loaded == null) {
            throw new IllegalStateException("Elasticsearch keystore not found at [" + file + "]");
        }
        if ((Boolean) hasPassword.invoke(loaded)) {
            throw new IllegalStateException("the keystore is password-protected");
        }
        decrypt.invoke(loaded, (Object) new char[0]);
        keystore = loaded;
        stamp = now;
        prepareFastSave(loaded);
        return keystore;
    }

    private void discard() {
        Object old = keystore;
        keystore = null;
        stamp = null;
        salt = null;
        key = null;
        if (old != null) {
            try {
                close.invoke(old);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // closing only wipes the decrypted entries
            }
        }
    }

    /** Inode, size and modification time of the keystore file; null when it does not exist. */
    private String stamp() throws java.io.IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.fileKey() + "/" + attributes.size() + "/" + attributes.lastModifiedTime().toMillis();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- fast save

    /*
     * Every Elasticsearch save picks a new salt and derives a new AES key from the (empty) password with
     * PBKDF2-HMAC-SHA512, 210,000 rounds: ~0.2 s of CPU, the whole cost of a save. The fast save writes the same
     * file format (version 7, what KeyStoreWrapper.save writes) with the salt and key of the file just read (derived
     * once per load) and a fresh random IV: re-using a key with unique IVs is how AES-GCM is meant to be used.
     *
     * It is guarded three times: it is used only when the file and KeyStoreWrapper.CURRENT_VERSION are version 7;
     * only after this helper has decrypted the file it read with its own reading of that format and found exactly
     * what Elasticsearch decrypted (names and SHA-256 of every value); and the first file it writes is read back by
     * Elasticsearch's own KeyStoreWrapper.load/decrypt and compared. Any mismatch turns it off for good, and the
     * keystore is written by Elasticsearch's save.
     */

    private static final int FAST_VERSION = 7;
    private static final int CODEC_MAGIC = 0x3fd76c17;
    private static final int FOOTER_MAGIC = ~CODEC_MAGIC;
    private static final String KDF = "PBKDF2WithHmacSHA512";
    private static final int KDF_ROUNDS = 210_000;
    private static final int KEY_BITS = 256;
    private static final int GCM_TAG_BITS = 128;
    private static final int IV_BYTES = 12;

    /** Checks the file just read against what Elasticsearch decrypted and keeps its salt and key; else no fast save. */
    private void prepareFastSave(Object loaded) {
        salt = null;
        key = null;
        if (fastOff != null) {
            return;
        }
        try {
            if ((Integer) formatVersion.invoke(loaded) != FAST_VERSION) {
                return; // an older file: Elasticsearch's save writes the current format, the next load may go fast
            }
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            requireThat(in.order(ByteOrder.BIG_ENDIAN).getInt() == CODEC_MAGIC, "codec magic");
            int nameLength = in.get();
            byte[] name = new byte[nameLength];
            in.get(name);
            requireThat(new String(name, StandardCharsets.UTF_8).equals(FILE), "codec name");
            requireThat(in.getInt() == FAST_VERSION, "version");
            requireThat(in.get() == 0, "password flag");
            in.order(ByteOrder.LITTLE_ENDIAN);
            int dataLength = in.getInt();
            byte[] fileSalt = new byte[in.getInt()];
            in.get(fileSalt);
            byte[] iv = new byte[in.getInt()];
            in.get(iv);
            byte[] encrypted = new byte[in.getInt()];
            in.get(encrypted);
            requireThat(dataLength == 12 + fileSalt.length + iv.length + encrypted.length, "data length");
            int footer = in.position();
            in.order(ByteOrder.BIG_ENDIAN);
            requireThat(in.getInt() == FOOTER_MAGIC && in.getInt() == 0, "footer");
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, footer + 8);
            requireThat(in.getLong() == crc.getValue() && !in.hasRemaining(), "checksum");

            SecretKeySpec fileKey = deriveKey(fileSalt);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, fileKey, new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(fileSalt);
            byte[] plain = cipher.doFinal(encrypted);
            try {
                DataInputStream entries = new DataInputStream(new ByteArrayInputStream(plain));
                int count = entries.readInt();
                Set<?> expected = (Set<?>) names.invoke(loaded);
                requireThat(count == expected.size(), "entry count");
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < count; i++) {
                    String entry = entries.readUTF();
                    byte[] value = new byte[entries.readInt()];
                    entries.readFully(value);
                    boolean same = expected.contains(entry)
                            && Arrays.equals(sha256.digest(value), (byte[]) digest.invoke(loaded, entry));
                    Arrays.fill(value, (byte) 0);
                    requireThat(same, "entry");
                }
                requireThat(entries.read() == -1, "trailing bytes");
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            salt = fileSalt;
            key = fileKey;
        } catch (Exception e) {
            turnFastSaveOff("the keystore file is not read as expected (" + describe(unwrap(e)) + ")");
        }
    }

    /** Writes the keystore as KeyStoreWrapper.save does, with the known salt and key and a new IV. */
    private void fastSave(Object current) throws Exception {
        ByteArrayOutputStream plainBytes = new ByteArrayOutputStream();
        DataOutputStream plain = new DataOutputStream(plainBytes);
        Set<?> settingNames = (Set<?>) names.invoke(current);
        plain.writeInt(settingNames.size());
        for (Object name : settingNames) {
            byte[] value;
            try (InputStream stream = (InputStream) getFile.invoke(current, name)) {
                value = stream.readAllBytes();
            }
            plain.writeUTF((String) name);
            plain.writeInt(value.length);
            plain.write(value);
            Arrays.fill(value, (byte) 0);
        }
        plain.flush();
        byte[] clear = plainBytes.toByteArray();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] encrypted;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(salt);
            encrypted = cipher.doFinal(clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }

        byte[] codec = FILE.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + 1 + codec.length + 4 + 1 + 4 * 4 + salt.length + iv.length + encrypted.length + 16);
        out.order(ByteOrder.BIG_ENDIAN).putInt(CODEC_MAGIC).put((byte) codec.length).put(codec).putInt(FAST_VERSION).put((byte) 0);
        out.order(ByteOrder.LITTLE_ENDIAN).putInt(12 + salt.length + iv.length + encrypted.length)
                .putInt(salt.length).put(salt).putInt(iv.length).put(iv).putInt(encrypted.length).put(encrypted);
        out.order(ByteOrder.BIG_ENDIAN).putInt(FOOTER_MAGIC).putInt(0);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        requireThat(!out.hasRemaining(), "file length");

        Path temporary = configDir.resolve(FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            channel.write(out.flip());
            channel.force(true);
        } catch (Exception e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        stamp = stamp();
        if (!fastVerified) {
            verifyWithElasticsearch(current);
        }
    }

    /** Elasticsearch reads the file back: same names, same values. Else its own save rewrites it, no fast save again. */
    private void verifyWithElasticsearch(Object expected) throws Exception {
        String problem = null;
        Object reread = null;
        try {
            reread = load.invoke(null, configDir);
            decrypt.invoke(reread, (Object) new char[0]);
            Set<?> expectedNames = (Set<?>) names.invoke(expected);
            if (!expectedNames.equals(names.invoke(reread))) {
                problem = "other setting names";
            }
            for (Object name : expectedNames) {
                if (problem == null && !Arrays.equals((byte[]) digest.invoke(expected, name), (byte[]) digest.invoke(reread, name))) {
                    problem = "another value of [" + name + "]";
                }
            }
        } catch (Exception e) {
            problem = describe(unwrap(e));
        } finally {
            if (reread != null) {
                close.invoke(reread);
            }
        }
        if (problem == null) {
            fastVerified = true;
            return;
        }
        turnFastSaveOff("Elasticsearch read back " + problem);
        save.invoke(expected, configDir, new char[0]);
        stamp = stamp();
    }

    private SecretKeySpec deriveKey(byte[] keySalt) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(new char[0], keySalt, KDF_ROUNDS, KEY_BITS);
        try {
            return new SecretKeySpec(SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded(), "AES");
        } finally {
            spec.clearPassword();
        }
    }

    private void turnFastSaveOff(String reason) {
        fastOff = reason;
        salt = null;
        key = null;
        System.err.println("keystore helper: fast save off, Elasticsearch's save is used: " + reason);
    }

    private static void requireThat(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected " + what);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
    }

    /** Exception class and message on one line (Elasticsearch's messages name settings and paths, never values). */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        return oneLine(e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }
}
