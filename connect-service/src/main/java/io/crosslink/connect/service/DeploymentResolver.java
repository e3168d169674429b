package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.client.ConfiguredCloudApi;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.config.ConnectConfig.EnvironmentKind;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Violation;
import io.crosslink.elastic.ElasticErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks a requested deployment up in its environment's Cloud API. Permanent answers (unknown environment,
 * 404, refused) become violations; transient ones propagate as {@link TransientElasticCallException} after the
 * client's retries, so the checks stay pending and run again later.
 *
 * <p>The certificate model also needs what trust is built from: the account (an ESS deployment's
 * {@code metadata.organization_id}, else {@code GET /api/v1/account} of the environment: the ECE installation's
 * account) and at least one CA certificate ({@code GET /api/v1/deployments/{id}/certificate-authority}).
 */
@ApplicationScoped
public class DeploymentResolver {
    private final ConnectConfig config;
    private final ConfiguredCloudApi cloud;
    /** Account id per environment name: an API key's account does not change while the service runs. */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();

    public DeploymentResolver(ConnectConfig config, ConfiguredCloudApi cloud) {
        this.config = config;
        this.cloud = cloud;
    }

    /** The API-key model's lookup. */
    public DeploymentFacts.Outcome resolve(DeploymentRef ref, String field) {
        return resolve(ref, field, SecurityModel.API_KEY);
    }

    public DeploymentFacts.Outcome resolve(DeploymentRef ref, String field, SecurityModel model) {
        ConnectConfig.Environment environment = config.environments().get(ref.environment());
        if (environment == null) {
            return DeploymentFacts.Outcome.rejected(field + ".environment", "unknown environment " + ref.environment()
                    + " (configured: " + String.join(", ", new TreeSet<>(config.environments().keySet())) + ")");
        }
        ElasticAnswer answer = cloud.deployment(environment, ref.deploymentId());
        if (answer.status() == 404) {
            return DeploymentFacts.Outcome.rejected(field + ".deploymentId", "deployment not found in environment "
                    + ref.environment());
        }
        if (!answer.ok()) {
            return DeploymentFacts.Outcome.rejected(field + ".deploymentId", "the Cloud API of environment "
                    + ref.environment() + " refused the lookup: " + refusal(answer, environment));
        }
        JsonNode deployment = json(answer);
        if (deployment == null) {
            return DeploymentFacts.Outcome.rejected(field + ".deploymentId", "the Cloud API answered something that is not JSON");
        }
        DeploymentFacts.Outcome facts = DeploymentFacts.read(ref, field, deployment, model);
        if (model != SecurityModel.TLS_CERTIFICATE || !facts.violations().isEmpty()) {
            return facts;
        }
        return trustFacts(ref, field, environment, deployment, facts);
    }

    /** Certificate model: the account and CA the trust settings are made of must be known. */
    private DeploymentFacts.Outcome trustFacts(DeploymentRef ref, String field, ConnectConfig.Environment environment,
            JsonNode deployment, DeploymentFacts.Outcome facts) {
        List<Violation> violations = new ArrayList<>();
        EnvironmentKind kind = DeploymentFacts.kindOf(environment.kind(), deployment);
        String accountId = kind == EnvironmentKind.ESS ? DeploymentFacts.organizationId(deployment).orElse(null) : null;
        if (accountId == null) {
            accountId = account(ref.environment(), environment, field, violations);
        }
        ElasticAnswer ca = cloud.certificateAuthority(environment, ref.deploymentId());
        if (!ca.ok()) {
            violations.add(new Violation(field + ".deploymentId", "the deployment's CA certificates are not available "
                    + "(GET /api/v1/deployments/" + ref.deploymentId() + "/certificate-authority: "
                    + refusal(ca, environment) + "): the tls_certificate model needs them to set up trust"));
        } else {
            JsonNode authority = json(ca);
            if (authority == null || DeploymentFacts.caCertificates(authority) == 0) {
                violations.add(new Violation(field + ".deploymentId", "the Cloud API reports no CA certificate for the "
                        + "deployment (certificate-authority public_certificates is empty): the tls_certificate model "
                        + "needs one to set up trust"));
            }
        }
        return violations.isEmpty()
                ? new DeploymentFacts.Outcome(DeploymentFacts.withTrustFacts(facts.info(), kind, accountId), List.of())
                : new DeploymentFacts.Outcome(null, violations);
    }

    /** {@code GET /api/v1/account} → {@code id}; a 404 (a Cloud API without that endpoint) means "not available". */
    private String account(String name, ConnectConfig.Environment environment, String field, List<Violation> violations) {
        String known = accounts.get(name);
        if (known != null) {
            return known;
        }
        ElasticAnswer answer = cloud.account(environment);
        JsonNode account = answer.ok() ? json(answer) : null;
        String id = account == null || !account.path("id").isTextual() || account.path("id").asText().isBlank() ? null
                : account.path("id").asText();
        if (id == null) {
            violations.add(new Violation(field + ".environment", "the account id of environment " + name
                    + " is not available (the deployment reports no metadata.organization_id, and GET /api/v1/account "
                    + (answer.ok() ? "named no id" : "answered " + refusal(answer, environment))
                    + "): the tls_certificate model needs it to set up trust"));
            return null;
        }
        accounts.put(name, id);
        return id;
    }

    private static String refusal(ElasticAnswer answer, ConnectConfig.Environment environment) {
        StepFailure failure = ElasticErrors.fromResponse(answer.status(), answer.body(), environment.apiKey());
        return failure.type() + ": " + failure.reason();
    }

    private static JsonNode json(ElasticAnswer answer) {
        try {
            return EventCodec.mapper().readTree(answer.body());
        } catch (IOException e) {
            return null;
        }
    }
}
