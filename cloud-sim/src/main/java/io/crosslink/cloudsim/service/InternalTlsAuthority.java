package io.crosslink.cloudsim.service;

import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.infra.CertificateAuthority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The CA that issues every node's {@code node.crt} (the {@code internal_tls_ca.crt} of each node's config folder).
 *
 * <p>Elastic Cloud Hosted has one such CA per region. cloud-sim's demo deployments sit in two "regions" (the ECE
 * installation and the Elastic Cloud organization) yet must be able to use strong identity with each other, so the
 * whole sim has ONE internal TLS CA for all environments (on real ECH, a cluster trusting another region's nodes is
 * given that region's CA as a bundle). It is created once and kept under {@code <sim.work-dir>/internal-tls-ca/}
 * (key readable by its owner only), so a sim restart reuses it and the certificates it issued stay valid.
 * Independent of the nodes' own transport CAs ({@code certs/ca.pem}), which it never touches.
 */
@ApplicationScoped
public class InternalTlsAuthority {
    static final String FOLDER = "internal-tls-ca";

    private final Path folder;
    private CertificateAuthority ca;

    @Inject
    public InternalTlsAuthority(SimConfig config) {
        this(Path.of(config.workDir()).resolve(FOLDER));
    }

    /** The CA kept in {@code folder} ({@code ca.crt}, {@code ca.key}). */
    InternalTlsAuthority(Path folder) {
        this.folder = folder;
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return authority().certificate();
    }

    /**
     * A certificate for client and server authentication (RSA 2048, as the nodes' transport certificates) with subject
     * {@code CN=<commonName>}; its only SAN is the otherName commonName {@link CertificateAuthority} always adds.
     */
    public CertificateAuthority.Issued issue(String commonName) {
        return authority().issueNodeCertificate(commonName, List.of(), List.of());
    }

    private synchronized CertificateAuthority authority() {
        if (ca == null) {
            try {
                ca = CertificateAuthority.loadOrCreate(folder.resolve("ca.crt"), folder.resolve("ca.key"),
                        "Crosslink cloud-sim internal TLS CA");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load or create the internal TLS CA in " + folder, e);
            }
        }
        return ca;
    }
}
