package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.FaultTarget;
import io.crosslink.cloudsim.domain.FaultedCall;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.domain.TrustSettings;
import io.crosslink.cloudsim.domain.TrustSettings.AccountTrust;
import io.crosslink.cloudsim.domain.TrustSettings.DirectTrust;
import io.crosslink.infra.CertificateAuthority;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Trust of the certificate model, backed by the node's real transport TLS: the trust settings of a deployment
 * become its trusted-CA PEM bundle and its trust-restrictions file, which Elasticsearch reloads without a restart.
 * An update shows as a pending plan until the reload has had time to happen.
 */
@ApplicationScoped
public class TrustService {
    private static final Logger LOG = Logger.getLogger(TrustService.class);

    private final DeploymentRegistry registry;
    private final SimConfig config;
    private final ObjectMapper mapper;
    private final FaultInjector faults;

    public TrustService(DeploymentRegistry registry, SimConfig config, ObjectMapper mapper, FaultInjector faults) {
        this.registry = registry;
        this.config = config;
        this.mapper = mapper;
        this.faults = faults;
    }

    /** Rewrites every node's trust files from its (default) trust: files left by an earlier run are replaced. */
    void onStart(@Observes @Priority(160) StartupEvent event) {
        if (!config.startNodes()) {
            return;
        }
        for (SimDeployment deployment : registry.all()) {
            deployment.writeLock().lock();
            try {
                writeFiles(deployment, effective(deployment));
            } finally {
                deployment.writeLock().unlock();
            }
        }
    }

    /** The trust settings in effect: the stored ones, or the environment's default. */
    public TrustSettings effective(SimDeployment deployment) {
        TrustSettings trust = deployment.trust();
        return trust != null ? trust : defaultTrust(deployment);
    }

    /** As a new deployment gets it: every cluster of its own installation or organization. */
    public TrustSettings defaultTrust(SimDeployment deployment) {
        String name = "Default trust for own " + (deployment.environment().kind() == SimConfig.EnvironmentKind.ESS
                ? "organization" : "environment");
        return new TrustSettings(List.of(new AccountTrust(deployment.environment().accountId(), Optional.of(name), true,
                List.of())), List.of());
    }

    /** Validates an {@code ElasticsearchClusterTrustSettings}; {@code prefix} names it in errors. */
    public TrustSettings parse(JsonNode trust, String prefix) {
        Set<String> accounts = registry.all().stream().map(d -> d.environment().accountId())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        return new TrustSettingsParser(accounts, prefix).parse(trust);
    }

    /**
     * Replaces the deployment's trust (null: back to the default), rewrites the node's trust files and shows a
     * pending plan until Elasticsearch has reloaded them ({@code sim.trust-plan-duration}, or as long as a plan fault
     * says). The caller holds the deployment's write lock.
     */
    public void replace(SimDeployment deployment, TrustSettings trust) {
        deployment.trust(trust);
        writeFiles(deployment, effective(deployment));
        Duration pending = faults.claim(new FaultedCall(FaultTarget.PLAN, deployment.id(), "PUT",
                        "/api/v1/deployments/" + deployment.id()))
                .map(fault -> Duration.ofSeconds(fault.spec().pendingSeconds()))
                .orElse(config.trustPlanDuration());
        deployment.planPendingUntil(Instant.now().plus(pending));
    }

    /** The deployment's CA certificate (the node's own CA). */
    public X509Certificate caCertificate(SimDeployment deployment) {
        try {
            List<X509Certificate> certificates = CertificateAuthority.readCertificates(deployment.node().caCertificatePem());
            if (certificates.isEmpty()) {
                throw new IOException("no CA certificate");
            }
            return certificates.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA of " + deployment.config().name(), e);
        }
    }

    /**
     * Whether {@code truster}'s node accepts {@code peer}'s node certificate in a transport handshake, decided from the
     * same trusted CAs and trust restrictions the node's files hold: the peer's CA is trusted and a restriction matches
     * its commonName SAN (the remote-clusters API shows this as {@code trusted} / {@code trusted_back}).
     */
    public boolean trusts(SimDeployment truster, SimDeployment peer) {
        if (truster == peer) {
            return true;
        }
        if (!truster.hasNode() || !peer.hasNode()) {
            return false;
        }
        TrustSettings trust = effective(truster);
        String peerCa = fingerprint(caCertificate(peer));
        boolean caTrusted = trustedCertificates(truster, trust).stream().anyMatch(ca -> fingerprint(ca).equals(peerCa));
        return caTrusted && trustRestrictions(truster, trust).stream()
                .anyMatch(pattern -> matches(pattern, peer.certificateCommonName()));
    }

    /** Elasticsearch's trust-restriction wildcard: {@code *} matches any characters, dots included. */
    private static boolean matches(String pattern, String name) {
        String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*"));
        return name.matches(regex);
    }

    /** SHA-256 of the DER encoding, lowercase hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** The trusted CAs: own CA, the CAs of the deployments of each trusted account, the certificates of direct trusts. */
    List<X509Certificate> trustedCertificates(SimDeployment deployment, TrustSettings trust) {
        Map<String, X509Certificate> byFingerprint = new LinkedHashMap<>();
        X509Certificate own = caCertificate(deployment);
        byFingerprint.put(fingerprint(own), own);
        for (AccountTrust account : trust.accounts()) {
            for (SimDeployment peer : registry.all()) {
                if (peer.environment().accountId().equals(account.accountId()) && peer.hasNode()) {
                    X509Certificate ca = caCertificate(peer);
                    byFingerprint.putIfAbsent(fingerprint(ca), ca);
                }
            }
        }
        for (DirectTrust direct : trust.direct()) {
            for (String pem : direct.certificatePems()) {
                try {
                    for (X509Certificate certificate : CertificateAuthority.parseCertificates(pem)) {
                        byFingerprint.putIfAbsent(fingerprint(certificate), certificate);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("a validated certificate no longer parses", e);
                }
            }
        }
        return List.copyOf(byFingerprint.values());
    }

    /**
     * The subject-name patterns Elasticsearch matches against the otherName commonName SAN of a peer's node certificate
     * ({@code node.<cluster id>.<domain>}).
     */
    List<String> trustRestrictions(SimDeployment deployment, TrustSettings trust) {
        Set<String> patterns = new LinkedHashSet<>();
        patterns.add(deployment.recommendedTrustRestriction());
        for (AccountTrust account : trust.accounts()) {
            addScoped(patterns, domainsOfAccount(account.accountId()), account.trustAll(), account.trustAllowlist());
        }
        for (DirectTrust direct : trust.direct()) {
            direct.scopeId().ifPresent(scope -> {
                List<String> domains = domainsOfAccount(scope);
                // A scope cloud-sim does not know (a self-managed cluster): names end in ".<cluster id>.<scope id>.<any>".
                addScoped(patterns, domains.isEmpty() ? List.of(scope + ".*") : domains, direct.trustAll(),
                        direct.trustAllowlist());
            });
            patterns.addAll(direct.additionalNodeNames());
        }
        return List.copyOf(patterns);
    }

    private static void addScoped(Set<String> patterns, List<String> domains, boolean trustAll, List<String> allowlist) {
        for (String domain : domains) {
            if (trustAll) {
                patterns.add("*." + domain);
            } else {
                allowlist.forEach(clusterId -> patterns.add("*." + clusterId + "." + domain));
            }
        }
    }

    private List<String> domainsOfAccount(String accountId) {
        return config.environments().values().stream()
                .filter(environment -> environment.accountId().equals(accountId))
                .map(SimConfig.EnvironmentConfig::domain)
                .distinct()
                .toList();
    }

    private void writeFiles(SimDeployment deployment, TrustSettings trust) {
        if (!deployment.hasNode()) {
            return;
        }
        List<X509Certificate> cas = trustedCertificates(deployment, trust);
        List<String> restrictions = trustRestrictions(deployment, trust);
        try {
            writeAtomically(deployment.node().trustedCertificatesPem(), CertificateAuthority.toPem(cas.toArray(X509Certificate[]::new)));
            // A JSON array is a YAML flow sequence: quoting is taken care of.
            writeAtomically(deployment.node().trustRestrictionsFile(),
                    "# Written by cloud-sim from the deployment's trust settings.\ntrust.subject_name: "
                            + mapper.writeValueAsString(restrictions) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            LOG.errorf("trust files of %s could not be written: %s", deployment.config().name(), e.getMessage());
            throw new CloudApiException(500, "deployments.metadata_internal_error",
                    "The trust settings of the deployment could not be applied.");
        }
        LOG.infof("trust of %s: %d trusted CA(s), restrictions %s", deployment.config().name(), cas.size(), restrictions);
    }

    /** Temp file + atomic move: the watching Elasticsearch never reads half a file. World-readable, as the node's user reads it. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
