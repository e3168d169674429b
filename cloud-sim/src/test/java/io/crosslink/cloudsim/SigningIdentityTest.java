package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ECE_INSTALLATION;
import static io.crosslink.cloudsim.SimFixtures.ESS_ORGANIZATION;
import static io.crosslink.cloudsim.SimFixtures.LOCAL_ID;
import static io.crosslink.cloudsim.SimFixtures.PEER_CLUSTER;
import static io.crosslink.cloudsim.SimFixtures.PEER_ID;
import static io.crosslink.cloudsim.SimFixtures.REMOTE_ID;
import static io.crosslink.cloudsim.SimFixtures.admin;
import static io.crosslink.cloudsim.SimFixtures.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.infra.CertificateAuthority;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Strong identity's files in every real node's config folder, as Elastic Cloud Hosted has them: node.crt / node.key
 * named {@code CN=<node>.node.<cluster id>.cluster.<account id>}, issued by the one internal_tls_ca.crt of the sim;
 * and the admin switch to an impostor identity and back.
 */
@QuarkusTest
class SigningIdentityTest {
    private static final String LOCAL_CLUSTER = "e5f60718293a4b5cc0ffee00a1b2c3d4";
    private static final String REMOTE_CLUSTER = "abcdef01234567890b5e55ed12345678";
    private static final String UNKNOWN_ID = "00000000000000000000000000000000";

    /** Deployment id to its node (folder) name, cluster id and environment account id. */
    private record Expected(String node, String clusterId, String accountId) {
        String subject(String clusterId) {
            return "CN=" + node + ".node." + clusterId + ".cluster." + accountId;
        }
    }

    private static final Map<String, Expected> DEPLOYMENTS = Map.of(
            LOCAL_ID, new Expected("local", LOCAL_CLUSTER, ECE_INSTALLATION),
            REMOTE_ID, new Expected("remote", REMOTE_CLUSTER, ESS_ORGANIZATION),
            PEER_ID, new Expected("peer", PEER_CLUSTER, ECE_INSTALLATION));

    @Test
    void everyNodeHasAnEchStyleIdentityFromTheOneSimCa() throws Exception {
        X509Certificate persistedCa = CertificateAuthority.readCertificates(workDir().resolve("internal-tls-ca/ca.crt")).get(0);
        for (Map.Entry<String, Expected> entry : DEPLOYMENTS.entrySet()) {
            Expected expected = entry.getValue();
            Path config = configFolder(expected.node());
            X509Certificate ca = CertificateAuthority.readCertificates(config.resolve("internal_tls_ca.crt")).get(0);
            assertEquals(persistedCa, ca, expected.node() + ": the sim's one CA, the same in every node");

            X509Certificate certificate = assertGenuineFiles(config, ca, expected.subject(expected.clusterId()));
            assertTrue(certificate.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                    "server and client authentication");
            assertEquals(expected.subject(expected.clusterId()), admin(entry.getKey()).path("signingSubject").asText());

            // The node's user reads them: same owner as the config folder, the key for that owner only.
            PosixFileAttributes folder = Files.readAttributes(config, PosixFileAttributes.class);
            for (String file : List.of("node.crt", "node.key", "internal_tls_ca.crt")) {
                PosixFileAttributes attributes = Files.readAttributes(config.resolve(file), PosixFileAttributes.class);
                assertEquals(folder.owner(), attributes.owner(), expected.node() + " " + file);
                assertEquals(folder.group(), attributes.group(), expected.node() + " " + file);
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("node.key"))));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("node.crt"))));

            // The transport certificate keeps its own CA and name (the certificate model is untouched).
            X509Certificate transport = CertificateAuthority.readCertificates(config.resolve("certs/node.pem")).get(0);
            X509Certificate ownCa = CertificateAuthority.readCertificates(config.resolve("certs/ca.pem")).get(0);
            assertNotEquals(ca, ownCa);
            transport.verify(ownCa.getPublicKey());
            assertTrue(transport.getSubjectX500Principal().getName().startsWith("CN=node." + expected.clusterId() + "."),
                    transport.getSubjectX500Principal().getName());
        }
    }

    @Test
    void anImpostorIdentityNamesAnotherClusterUntilDeleted() throws Exception {
        Expected local = DEPLOYMENTS.get(LOCAL_ID);
        Path config = configFolder(local.node());
        X509Certificate ca = CertificateAuthority.readCertificates(config.resolve("internal_tls_ca.crt")).get(0);
        try {
            Response impostor = given().contentType("application/json").body("{\"clusterId\":\"" + REMOTE_CLUSTER + "\"}")
                    .put("/sim/deployments/" + LOCAL_ID + "/signing-identity");
            assertEquals(200, impostor.statusCode(), impostor.asString());
            assertEquals(local.subject(REMOTE_CLUSTER), json(impostor).path("subject").asText());
            assertGenuineFiles(config, ca, local.subject(REMOTE_CLUSTER));
            assertEquals(local.subject(REMOTE_CLUSTER), admin(LOCAL_ID).path("signingSubject").asText());
            assertEquals(DEPLOYMENTS.get(PEER_ID).subject(PEER_CLUSTER), admin(PEER_ID).path("signingSubject").asText(),
                    "other nodes keep theirs");
        } finally {
            Response restored = given().delete("/sim/deployments/" + LOCAL_ID + "/signing-identity");
            assertEquals(200, restored.statusCode(), restored.asString());
            assertEquals(local.subject(LOCAL_CLUSTER), json(restored).path("subject").asText());
        }
        assertGenuineFiles(config, ca, local.subject(LOCAL_CLUSTER));
        assertEquals(local.subject(LOCAL_CLUSTER), admin(LOCAL_ID).path("signingSubject").asText());
    }

    @Test
    void unknownDeploymentsAndMissingClusterIdsAreRefused() throws Exception {
        Response unknownPut = given().contentType("application/json").body("{\"clusterId\":\"" + REMOTE_CLUSTER + "\"}")
                .put("/sim/deployments/" + UNKNOWN_ID + "/signing-identity");
        assertEquals(404, unknownPut.statusCode());
        assertEquals("deployments.deployment_not_found", json(unknownPut).path("errors").get(0).path("code").asText());
        assertEquals(404, given().delete("/sim/deployments/" + UNKNOWN_ID + "/signing-identity").statusCode());

        Path certificate = configFolder("local").resolve("node.crt");
        String before = Files.readString(certificate, StandardCharsets.US_ASCII);
        for (String body : List.of("{}", "{\"clusterId\":\"\"}", "{\"clusterId\":\"  \"}", "{\"clusterId\":null}",
                "{\"clusterId\":\"a.b\"}", "{\"clusterId\":5}")) {
            Response refused = given().contentType("application/json").body(body)
                    .put("/sim/deployments/" + LOCAL_ID + "/signing-identity");
            assertEquals(400, refused.statusCode(), body);
            JsonNode error = json(refused).path("errors").get(0);
            assertEquals("sim.invalid_signing_identity", error.path("code").asText(), body);
            assertEquals("clusterId", error.path("fields").get(0).asText(), body);
        }
        assertEquals(before, Files.readString(certificate, StandardCharsets.US_ASCII), "a refused request changes nothing");
    }

    /** node.crt names {@code subject}, chains to the CA and node.key is its (PKCS#8 PEM) key; returns node.crt. */
    private static X509Certificate assertGenuineFiles(Path config, X509Certificate ca, String subject) throws Exception {
        X509Certificate certificate = CertificateAuthority.readCertificates(config.resolve("node.crt")).get(0);
        assertEquals(subject, certificate.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(ca.getPublicKey());
        certificate.checkValidity();

        String keyPem = Files.readString(config.resolve("node.key"), StandardCharsets.US_ASCII);
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), "unencrypted PKCS#8");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(
                keyPem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", ""))));
        byte[] probe = subject.getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(probe);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        assertTrue(verifier.verify(signer.sign()), "node.key is node.crt's key");
        return certificate;
    }

    private static Path workDir() {
        return Path.of(ConfigProvider.getConfig().getValue("sim.work-dir", String.class));
    }

    private static Path configFolder(String node) {
        return workDir().resolve(node).resolve("config");
    }
}
