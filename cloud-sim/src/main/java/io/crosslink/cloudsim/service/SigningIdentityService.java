package io.crosslink.cloudsim.service;

import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SigningIdentity;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.infra.CertificateAuthority;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.jboss.logging.Logger;

/**
 * The files Elastic Cloud Hosted puts in every node's config folder and strong identity (Elasticsearch 9.3+, API-key
 * remotes) signs with: {@code node.crt} / {@code node.key} (subject {@link SigningIdentity}) and the issuing
 * {@code internal_tls_ca.crt} ({@link InternalTlsAuthority}, one for the whole sim). Separate from the transport
 * certificate ({@code certs/node.pem}) and the trust files, which stay as they are.
 */
@ApplicationScoped
public class SigningIdentityService {
    static final String CERTIFICATE = "node.crt";
    static final String KEY = "node.key";
    static final String CA_CERTIFICATE = "internal_tls_ca.crt";
    private static final Logger LOG = Logger.getLogger(SigningIdentityService.class);

    private final DeploymentRegistry registry;
    private final SimConfig config;
    private final InternalTlsAuthority authority;

    public SigningIdentityService(DeploymentRegistry registry, SimConfig config, InternalTlsAuthority authority) {
        this.registry = registry;
        this.config = config;
        this.authority = authority;
    }

    /**
     * After the nodes are up: every node gets the CA and its genuine identity; files an earlier run left are kept
     * when still genuine (same subject, issued by this CA, key matching), else issued again.
     */
    void onStart(@Observes @Priority(165) StartupEvent event) {
        if (!config.startNodes()) {
            return;
        }
        for (SimDeployment deployment : registry.all()) {
            if (!deployment.hasNode()) {
                continue;
            }
            deployment.writeLock().lock();
            try {
                writeCaIfChanged(deployment);
                SigningIdentity genuine = genuine(deployment);
                if (!isCurrent(deployment, genuine)) {
                    issue(deployment, genuine);
                }
            } finally {
                deployment.writeLock().unlock();
            }
        }
    }

    /** The deployment's own identity: its node name, its cluster id, its environment's account id. */
    private SigningIdentity genuine(SimDeployment deployment) {
        return new SigningIdentity(deployment.node().config().name(), deployment.config().clusterId(),
                deployment.environment().accountId());
    }

    /** Re-issues node.crt / node.key naming another cluster id (an impostor); returns the new identity. */
    public SigningIdentity impersonate(SimDeployment deployment, String clusterId) {
        SigningIdentity genuine = genuine(deployment);
        return issueLocked(deployment, new SigningIdentity(genuine.nodeName(), clusterId, genuine.scopeId()));
    }

    /** Re-issues the genuine node.crt / node.key; returns the identity. */
    public SigningIdentity restore(SimDeployment deployment) {
        return issueLocked(deployment, genuine(deployment));
    }

    /** The subject DN (RFC 2253) of the node's node.crt; empty without a node or file. */
    public Optional<String> currentSubject(SimDeployment deployment) {
        if (!deployment.hasNode()) {
            return Optional.empty();
        }
        try {
            return readCertificate(configFolder(deployment).resolve(CERTIFICATE))
                    .map(certificate -> certificate.getSubjectX500Principal().getName());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private SigningIdentity issueLocked(SimDeployment deployment, SigningIdentity identity) {
        if (!deployment.hasNode()) {
            throw new CloudApiException(409, "sim.node_not_running",
                    "The node of deployment [" + deployment.id() + "] is not running.");
        }
        deployment.writeLock().lock();
        try {
            writeCaIfChanged(deployment);
            issue(deployment, identity);
            return identity;
        } finally {
            deployment.writeLock().unlock();
        }
    }

    /** Key first, certificate last: once the certificate names the new subject, its key is in place. */
    private void issue(SimDeployment deployment, SigningIdentity identity) {
        Path folder = configFolder(deployment);
        CertificateAuthority.Issued issued = authority.issue(identity.commonName());
        try {
            ConfigFolderWriter.writePrivate(folder.resolve(KEY), CertificateAuthority.toPem(issued.privateKey()));
            ConfigFolderWriter.writePublic(folder.resolve(CERTIFICATE), CertificateAuthority.toPem(issued.certificate()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the signing identity of " + deployment.config().name(), e);
        }
        LOG.infof("signing identity of %s: %s", deployment.config().name(), identity.subject());
    }

    private void writeCaIfChanged(SimDeployment deployment) {
        Path file = configFolder(deployment).resolve(CA_CERTIFICATE);
        String pem = CertificateAuthority.toPem(authority.certificate());
        try {
            if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.US_ASCII).equals(pem)) {
                ConfigFolderWriter.writePublic(file, pem);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + CA_CERTIFICATE + " of " + deployment.config().name(), e);
        }
    }

    /** node.crt names the identity, is signed by the sim's CA and node.key is its key. */
    private boolean isCurrent(SimDeployment deployment, SigningIdentity identity) {
        Path folder = configFolder(deployment);
        try {
            Optional<X509Certificate> certificate = readCertificate(folder.resolve(CERTIFICATE));
            if (certificate.isEmpty() || !Files.isRegularFile(folder.resolve(KEY))
                    || !certificate.get().getSubjectX500Principal().equals(new X500Principal(identity.subject()))) {
                return false;
            }
            certificate.get().verify(authority.certificate().getPublicKey());
            return keyMatches(readPrivateKey(folder.resolve(KEY)), certificate.get().getPublicKey());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The node's config folder (ES_PATH_CONF): {@code <workDir>/config} in the launcher's layout. */
    private static Path configFolder(SimDeployment deployment) {
        return deployment.node().config().workDir().resolve("config");
    }

    private static Optional<X509Certificate> readCertificate(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<X509Certificate> certificates = CertificateAuthority.readCertificates(file);
        return certificates.stream().findFirst();
    }

    /** An unencrypted PKCS#8 PEM RSA key, as {@link CertificateAuthority} writes it. */
    static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(file, StandardCharsets.US_ASCII)
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Signs a probe with the private key and verifies it with the public one. */
    static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = "crosslink signing identity probe".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signature);
    }
}
