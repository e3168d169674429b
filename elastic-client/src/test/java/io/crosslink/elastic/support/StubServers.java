package io.crosslink.elastic.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Starts a plain stub server and an HTTPS one whose certificate is from its own CA (a self-signed certificate made
 * with the JDK's keytool, as a real ECE's Cloud API on 12443 often has), and registers that CA as the TLS
 * configuration {@code own-ca}.
 */
public class StubServers implements QuarkusTestResourceLifecycleManager {
    private static final String PASSWORD = "stub-store";
    public static StubServer http;
    public static StubServer https;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("elastic-client-tls");
            Path store = dir.resolve("server.p12");
            Path ca = dir.resolve("own-ca.pem");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool("-exportcert", "-alias", "server", "-rfc", "-file", ca.toString(), "-keystore", store.toString(),
                    "-storepass", PASSWORD);
            http = StubServer.http();
            https = StubServer.https(sslContext(store));
            return Map.of("quarkus.tls.own-ca.trust-store.pem.certs", ca.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the stub servers", e);
        }
    }

    @Override
    public void stop() {
        if (http != null) {
            http.close();
        }
        if (https != null) {
            https.close();
        }
    }

    private static SSLContext sslContext(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed: " + output);
        }
    }
}
