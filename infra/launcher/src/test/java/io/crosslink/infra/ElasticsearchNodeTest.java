package io.crosslink.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One real Elasticsearch node for the whole class (a start costs ~20 s). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElasticsearchNodeTest {
    private static final String ADDRESS = "127.0.29.1";
    private static final String COMMON_NAME = "node.es-node-test.ece.local";

    private static ProcessReaper reaper;
    private static ElasticsearchNode node;

    @BeforeAll
    static void startNode() throws IOException {
        Path workDir = Path.of("target", "es-node-test").toAbsolutePath();
        ElasticsearchUser.deleteTree(workDir);
        reaper = ProcessReaper.forStack("test-elasticsearch-node");
        String version = System.getProperty("elasticsearch.version", "8.19.21");
        node = ElasticsearchNode.start(new ElasticsearchNode.Config("es-node-test", version, ADDRESS, 9200, 9300, 9443,
                COMMON_NAME, workDir, "512m"), reaper);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void createsCrossClusterApiKey() throws Exception {
        assertTrue(node.isRunning());
        assertEquals("http://" + ADDRESS + ":9200", node.httpUri().toString());
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        node.httpUri().resolve("/_security/cross_cluster/api_key"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (node.username() + ":" + node.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"crosslink-test\",\"access\":{\"search\":[{\"names\":[\"logs-*\"]}]}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"encoded\""), response.body());
    }

    @Test
    @Order(2)
    void addsListsAndRemovesKeystoreEntries() throws IOException {
        String name = "cluster.remote.crosslink_test.credentials";
        node.addKeystoreEntry(name, "c2VjcmV0OnZhbHVl");
        List<String> entries = node.keystoreEntries();
        assertTrue(entries.contains(name), "listed after add: " + entries);
        assertFalse(entries.contains("keystore.seed"), "keystore.seed is not listed: " + entries);
        node.reloadSecureSettings();
        node.removeKeystoreEntry(name);
        assertFalse(node.keystoreEntries().contains(name), "gone after remove");
        node.removeKeystoreEntry(name); // idempotent
    }

    @Test
    @Order(3)
    void transportPresentsCertificateWithOtherNameCommonName() throws Exception {
        AtomicReference<X509Certificate[]> presented = new AtomicReference<>();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                presented.set(chain);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(ADDRESS, 9300), 5_000);
            socket.setSoTimeout(5_000);
            socket.startHandshake();
        } catch (SSLException expected) {
            // The transport wants a client certificate; the server's one was seen before that matters.
        }
        X509Certificate[] chain = presented.get();
        assertNotNull(chain, "no certificate presented on the transport port");
        X509Certificate leaf = chain[0];
        assertEquals(List.of(COMMON_NAME), CertificateAuthority.otherNameCommonNames(leaf));
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            if ((Integer) san.get(0) == 2) {
                dns.add((String) san.get(1));
            } else if ((Integer) san.get(0) == 7) {
                ips.add((String) san.get(1));
            }
        }
        assertEquals(List.of("es-node-test"), dns);
        assertEquals(List.of(ADDRESS), ips);

        X509Certificate ca = CertificateAuthority.readCertificates(node.caCertificatePem()).get(0);
        leaf.verify(ca.getPublicKey());
        Collection<X509Certificate> trusted = CertificateAuthority.readCertificates(node.trustedCertificatesPem());
        assertEquals(List.of(ca), List.copyOf(trusted));
        assertTrue(Files.readString(node.trustRestrictionsFile()).contains("\"*.es-node-test.ece.local\""),
                Files.readString(node.trustRestrictionsFile()));
    }

    @Test
    @Order(4)
    void stopsTheProcess() {
        long pid = node.pid();
        assertTrue(pid > 0);
        node.stop();
        assertFalse(node.isRunning());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive");
        node.stop(); // idempotent
    }
}
