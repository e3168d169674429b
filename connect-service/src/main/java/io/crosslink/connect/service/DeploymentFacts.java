package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.config.ConnectConfig.EnvironmentKind;
import io.crosslink.elastic.ElasticVersion;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.Registration;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the saga needs from a Cloud API {@code DeploymentGetResponse}: the Elasticsearch resource named
 * by {@code refId} (or the first one), its cluster id ({@code info.cluster_id}, else {@code id}), its
 * {@code info.metadata.endpoint} and its version ({@code info.plan_info.current.plan.elasticsearch.version}),
 * and checks what the security model needs: 8.14+ for the API-key model; for the certificate model the trust facts
 * ({@link #withTrustFacts}: environment kind, account, transport port) and, for ECE's remote-clusters API, one
 * installation ({@link #registrationViolations}).
 */
public final class DeploymentFacts {
    /** Both sides need 8.14+ for the API-key model on ESS/ECE (keystore reload without restart). */
    static final int[] API_KEY_MINIMUM = {8, 14};
    /** Strong identity (the key's certificate_identity, L's signing settings) came with 9.3, on both sides. */
    static final int[] STRONG_IDENTITY_MINIMUM = {9, 3};

    /** The facts, or why the deployment does not qualify. */
    public record Outcome(DeploymentInfo info, List<Violation> violations) {
        static Outcome rejected(String field, String reason) {
            return new Outcome(null, List.of(new Violation(field, reason)));
        }
    }

    private DeploymentFacts() {
    }

    /** The API-key model's facts. */
    public static Outcome read(DeploymentRef ref, String field, JsonNode deployment) {
        return read(ref, field, deployment, SecurityModel.API_KEY);
    }

    /**
     * {@code field} is {@code local} or {@code remote}: violations name {@code <field>.deploymentId} or {@code .refId}.
     * In the certificate model the info carries {@code info.metadata.ports.transport_passthrough} when reported (kind
     * and account follow from {@link #withTrustFacts}) and no minimum version applies.
     */
    public static Outcome read(DeploymentRef ref, String field, JsonNode deployment, SecurityModel model) {
        JsonNode resources = deployment.path("resources").path("elasticsearch");
        if (!resources.isArray() || resources.isEmpty()) {
            return Outcome.rejected(field + ".deploymentId", "the deployment has no Elasticsearch resource");
        }
        JsonNode resource = null;
        if (ref.refId() == null) {
            resource = resources.get(0);
        } else {
            for (JsonNode candidate : resources) {
                if (ref.refId().equals(candidate.path("ref_id").asText(null))) {
                    resource = candidate;
                }
            }
            if (resource == null) {
                return Outcome.rejected(field + ".refId", "the deployment has no Elasticsearch resource with ref_id "
                        + ref.refId());
            }
        }
        JsonNode info = resource.path("info");
        String refId = text(resource.path("ref_id"));
        String clusterId = text(info.path("cluster_id")) != null ? text(info.path("cluster_id")) : text(resource.path("id"));
        String endpoint = text(info.path("metadata").path("endpoint"));
        String version = text(info.path("plan_info").path("current").path("plan").path("elasticsearch").path("version"));
        if (refId == null || clusterId == null || endpoint == null || version == null) {
            String missing = refId == null ? "ref_id" : clusterId == null ? "cluster id" : endpoint == null ? "endpoint"
                    : "version";
            return Outcome.rejected(field + ".deploymentId", "the Cloud API did not report the Elasticsearch resource's "
                    + missing + (model == SecurityModel.TLS_CERTIFICATE && !"version".equals(missing)
                            ? " (the tls_certificate model needs it to set up trust and the remote)" : ""));
        }
        if (model == SecurityModel.TLS_CERTIFICATE) {
            JsonNode port = info.path("metadata").path("ports").path("transport_passthrough");
            return new Outcome(new DeploymentInfo(ref.environment(), ref.deploymentId(), refId, clusterId, endpoint,
                    version, null, null, port.canConvertToInt() && port.asInt() > 0 ? port.asInt() : null), List.of());
        }
        if (!ElasticVersion.atLeast(version, API_KEY_MINIMUM[0], API_KEY_MINIMUM[1])) {
            return Outcome.rejected(field + ".deploymentId", "Elasticsearch " + version
                    + " is too old: the api_key security model needs 8.14 or later on both deployments");
        }
        return new Outcome(new DeploymentInfo(ref.environment(), ref.deploymentId(), refId, clusterId, endpoint, version),
                List.of());
    }

    /** {@code metadata.organization_id}: the Elastic Cloud organization owning the deployment, if reported. */
    public static Optional<String> organizationId(JsonNode deployment) {
        return Optional.ofNullable(text(deployment.path("metadata").path("organization_id")));
    }

    /** The configured kind of the environment, else ESS when the deployment names its organization, else ECE. */
    public static EnvironmentKind kindOf(Optional<EnvironmentKind> configured, JsonNode deployment) {
        return configured.orElseGet(() -> organizationId(deployment).isPresent() ? EnvironmentKind.ESS
                : EnvironmentKind.ECE);
    }

    /** The certificate model's facts: kind, account and transport port (reported, else the kind's). */
    public static DeploymentInfo withTrustFacts(DeploymentInfo info, EnvironmentKind kind, String accountId) {
        return new DeploymentInfo(info.environment(), info.deploymentId(), info.refId(), info.clusterId(),
                info.endpoint(), info.version(), kind.name(), accountId,
                info.transportPort() != null ? info.transportPort() : kind.transportPort());
    }

    /** How many CA certificates (with a PEM) a {@code CertificateAuthority} answer holds. */
    public static int caCertificates(JsonNode certificateAuthority) {
        int count = 0;
        for (JsonNode certificate : certificateAuthority.path("public_certificates")) {
            if (text(certificate.path("pem")) != null) {
                count++;
            }
        }
        return count;
    }

    /**
     * The checks that need both deployments' facts: {@code ece_remote_clusters} registers through ECE's API, which
     * only knows deployments of its own installation, so both must be ECE deployments of one account; strong
     * identity needs 9.3+ on both sides (older versions refuse the key's field and the signing settings).
     */
    public static List<Violation> registrationViolations(ConnectionRequest request, DeploymentInfo local,
            DeploymentInfo remote) {
        List<Violation> violations = new ArrayList<>();
        if (request.strongIdentity() && !(ElasticVersion.atLeast(local.version(), STRONG_IDENTITY_MINIMUM[0],
                STRONG_IDENTITY_MINIMUM[1]) && ElasticVersion.atLeast(remote.version(), STRONG_IDENTITY_MINIMUM[0],
                STRONG_IDENTITY_MINIMUM[1]))) {
            violations.add(new Violation("certificateIdentity", "strong identity needs Elasticsearch 9.3 or later on "
                    + "both deployments, but local runs " + local.version() + " and remote runs " + remote.version()));
        }
        if (request.certificateModel() && request.registrationOrDefault() == Registration.ECE_REMOTE_CLUSTERS) {
            boolean bothEce = DeploymentInfo.ECE.equals(local.kind()) && DeploymentInfo.ECE.equals(remote.kind());
            if (!bothEce || !local.sameAccountAs(remote)) {
                violations.add(new Violation("registration", "ece_remote_clusters needs both deployments in the same "
                        + "ECE installation, but local is " + describe(local) + " and remote is " + describe(remote)
                        + "; use cluster_settings"));
            }
        }
        return violations;
    }

    private static String describe(DeploymentInfo info) {
        return info.kind() + " (environment " + info.environment() + ", account " + info.accountId() + ")";
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
