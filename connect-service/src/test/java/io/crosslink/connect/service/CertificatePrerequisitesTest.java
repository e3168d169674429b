package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.connect.client.ConfiguredCloudApi;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.config.ConnectConfig.EnvironmentKind;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.Registration;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.TrustRequest;
import io.crosslink.events.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The checks after acceptance, per security model, against a fake Cloud API: what the certificate model reads (kind,
 * account, transport port, CA) and each reason it is REJECTED for.
 */
class CertificatePrerequisitesTest {
    private static final String ECE_ACCOUNT = "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87";
    private static final String ESS_ORG = "4285051796";
    private static final String CA = "{\"recommended_trust_restriction\":\"*.c.ece.local\",\"public_certificates\":"
            + "[{\"pem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\",\"active\":true,\"metadata\":{}}]}";

    /** Cloud API answers by path; what is not there is 404. */
    private final Map<String, ElasticAnswer> answers = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Optional<EnvironmentKind>> kinds = new HashMap<>(Map.of(
            "ece", Optional.empty(), "ess", Optional.empty()));

    private final ConfiguredCloudApi cloud = new ConfiguredCloudApi(null, null) {
        @Override
        public ElasticAnswer deployment(ConnectConfig.Environment environment, String deploymentId) {
            return answer(environment.url() + "/deployments/" + deploymentId);
        }

        @Override
        public ElasticAnswer account(ConnectConfig.Environment environment) {
            return answer(environment.url() + "/account");
        }

        @Override
        public ElasticAnswer certificateAuthority(ConnectConfig.Environment environment, String deploymentId) {
            return answer(environment.url() + "/deployments/" + deploymentId + "/certificate-authority");
        }
    };

    private final DeploymentResolver resolver = new DeploymentResolver(config(), cloud);

    private ElasticAnswer answer(String path) {
        calls.add(path);
        return answers.getOrDefault(path, new ElasticAnswer(404,
                "{\"errors\":[{\"code\":\"root.resource_not_found\",\"message\":\"not found: " + path + "\"}]}"));
    }

    @Test
    void anEceDeploymentGetsItsInstallationAccountTheTransportPortItReportsAndItsKind() {
        deployment("ece", "l1", "cl1", "127.0.20.1", "7.17.3", null, 9300);
        answers.put("ece/account", new ElasticAnswer(200, "{\"id\":\"" + ECE_ACCOUNT + "\",\"trust\":{}}"));
        answers.put("ece/deployments/l1/certificate-authority", new ElasticAnswer(200, CA));

        DeploymentFacts.Outcome outcome = resolver.resolve(new DeploymentRef("ece", "l1", null), "local",
                SecurityModel.TLS_CERTIFICATE);

        assertTrue(outcome.violations().isEmpty(), outcome.violations().toString());
        assertEquals(new DeploymentInfo("ece", "l1", "main-elasticsearch", "cl1", "127.0.20.1", "7.17.3", "ECE",
                ECE_ACCOUNT, 9300), outcome.info(), "no minimum version in the certificate model");
    }

    @Test
    void anEssDeploymentTakesItsOrganizationAndTheKindsPortWhenItReportsNone() {
        deployment("ess", "r1", "cr1", "r.example", "8.19.21", ESS_ORG, null);
        answers.put("ess/deployments/r1/certificate-authority", new ElasticAnswer(200, CA));

        DeploymentFacts.Outcome outcome = resolver.resolve(new DeploymentRef("ess", "r1", null), "remote",
                SecurityModel.TLS_CERTIFICATE);

        assertEquals("ESS", outcome.info().kind());
        assertEquals(ESS_ORG, outcome.info().accountId());
        assertEquals(9400, outcome.info().transportPort());
        assertTrue(calls.stream().noneMatch(c -> c.endsWith("/account")), "the organization id is enough: " + calls);
    }

    @Test
    void theConfiguredKindWinsOverTheGuess() {
        kinds.put("ece", Optional.of(EnvironmentKind.ESS));
        deployment("ece", "l1", "cl1", "l.example", "8.19.21", null, null);
        answers.put("ece/account", new ElasticAnswer(200, "{\"id\":\"org-from-account\"}"));
        answers.put("ece/deployments/l1/certificate-authority", new ElasticAnswer(200, CA));

        DeploymentInfo info = resolver.resolve(new DeploymentRef("ece", "l1", null), "local",
                SecurityModel.TLS_CERTIFICATE).info();

        assertEquals("ESS", info.kind());
        assertEquals("org-from-account", info.accountId(), "no organization_id reported: the account of the API key");
        assertEquals(9400, info.transportPort());
    }

    @Test
    void theAccountIsAskedOncePerEnvironment() {
        deployment("ece", "l1", "cl1", "l.example", "8.19.21", null, 9300);
        answers.put("ece/account", new ElasticAnswer(200, "{\"id\":\"" + ECE_ACCOUNT + "\"}"));
        answers.put("ece/deployments/l1/certificate-authority", new ElasticAnswer(200, CA));

        resolver.resolve(new DeploymentRef("ece", "l1", null), "local", SecurityModel.TLS_CERTIFICATE);
        resolver.resolve(new DeploymentRef("ece", "l1", null), "local", SecurityModel.TLS_CERTIFICATE);

        assertEquals(1, calls.stream().filter(c -> c.equals("ece/account")).count(), calls.toString());
    }

    // ------------------------------------------------------------------ each REJECTED reason

    @Test
    void rejectedWhenTheAccountIsNotAvailable() {
        deployment("ece", "l1", "cl1", "l.example", "8.19.21", null, 9300);
        answers.put("ece/deployments/l1/certificate-authority", new ElasticAnswer(200, CA));

        Violation violation = only(resolver.resolve(new DeploymentRef("ece", "l1", null), "local",
                SecurityModel.TLS_CERTIFICATE));

        assertEquals("local.environment", violation.field());
        assertTrue(violation.reason().contains("account id of environment ece is not available"), violation.reason());
        assertTrue(violation.reason().contains("GET /api/v1/account answered"), violation.reason());
    }

    @Test
    void rejectedWhenTheAccountAnswerNamesNoId() {
        deployment("ece", "l1", "cl1", "l.example", "8.19.21", null, 9300);
        answers.put("ece/account", new ElasticAnswer(200, "{}"));
        answers.put("ece/deployments/l1/certificate-authority", new ElasticAnswer(200, CA));

        Violation violation = only(resolver.resolve(new DeploymentRef("ece", "l1", null), "local",
                SecurityModel.TLS_CERTIFICATE));

        assertEquals("local.environment", violation.field());
        assertTrue(violation.reason().contains("named no id"), violation.reason());
    }

    @Test
    void rejectedWhenTheCertificateAuthorityCannotBeRead() {
        deployment("ess", "r1", "cr1", "r.example", "8.19.21", ESS_ORG, 9400);

        Violation violation = only(resolver.resolve(new DeploymentRef("ess", "r1", null), "remote",
                SecurityModel.TLS_CERTIFICATE));

        assertEquals("remote.deploymentId", violation.field());
        assertTrue(violation.reason().contains("CA certificates are not available"), violation.reason());
        assertTrue(violation.reason().contains("/certificate-authority"), violation.reason());
    }

    @Test
    void rejectedWhenTheCertificateAuthorityHasNoCertificate() {
        deployment("ess", "r1", "cr1", "r.example", "8.19.21", ESS_ORG, 9400);
        answers.put("ess/deployments/r1/certificate-authority",
                new ElasticAnswer(200, "{\"recommended_trust_restriction\":\"*.x\",\"public_certificates\":[]}"));

        Violation violation = only(resolver.resolve(new DeploymentRef("ess", "r1", null), "remote",
                SecurityModel.TLS_CERTIFICATE));

        assertEquals("remote.deploymentId", violation.field());
        assertTrue(violation.reason().contains("no CA certificate"), violation.reason());
    }

    @Test
    void rejectedWhenTheClusterIdOrEndpointIsNotReported() {
        answers.put("ess/deployments/r1", new ElasticAnswer(200, """
                {"id":"r1","metadata":{"organization_id":"4285051796"},"resources":{"elasticsearch":[
                  {"ref_id":"main-elasticsearch","id":"cr1","info":{"cluster_id":"cr1","metadata":{},
                   "plan_info":{"current":{"plan":{"elasticsearch":{"version":"8.19.21"}}}}}}]}}
                """));

        Violation violation = only(resolver.resolve(new DeploymentRef("ess", "r1", null), "remote",
                SecurityModel.TLS_CERTIFICATE));

        assertEquals("remote.deploymentId", violation.field());
        assertTrue(violation.reason().contains("endpoint"), violation.reason());
        assertTrue(violation.reason().contains("tls_certificate model needs it"), violation.reason());
    }

    @Test
    void rejectedForTheAccountAndTheCaTogether() {
        deployment("ece", "l1", "cl1", "l.example", "8.19.21", null, 9300);

        DeploymentFacts.Outcome outcome = resolver.resolve(new DeploymentRef("ece", "l1", null), "local",
                SecurityModel.TLS_CERTIFICATE);

        assertNull(outcome.info());
        assertEquals(List.of("local.environment", "local.deploymentId"),
                outcome.violations().stream().map(Violation::field).toList());
    }

    @Test
    void theApiKeyModelStillNeeds814AndNoTrustData() {
        deployment("ece", "l1", "cl1", "l.example", "8.13.4", null, 9300);

        Violation violation = only(resolver.resolve(new DeploymentRef("ece", "l1", null), "local"));

        assertTrue(violation.reason().contains("8.13.4 is too old"), violation.reason());
        assertEquals(List.of("ece/deployments/l1"), calls, "no account or CA lookups in the API-key model");
    }

    @Test
    void eceRemoteClustersNeedsBothDeploymentsInOneEceInstallation() {
        DeploymentInfo eceLocal = info("ece", "l1", "ECE", ECE_ACCOUNT);
        DeploymentInfo ecePeer = info("ece", "p1", "ECE", ECE_ACCOUNT);
        DeploymentInfo otherInstallation = info("ece2", "p2", "ECE", "0000");
        DeploymentInfo essRemote = info("ess", "r1", "ESS", ESS_ORG);

        assertEquals(List.of(), DeploymentFacts.registrationViolations(request(Registration.ECE_REMOTE_CLUSTERS),
                eceLocal, ecePeer));
        Violation crossEnvironment = DeploymentFacts.registrationViolations(request(Registration.ECE_REMOTE_CLUSTERS),
                eceLocal, essRemote).get(0);
        assertEquals("registration", crossEnvironment.field());
        assertTrue(crossEnvironment.reason().contains("same ECE installation"), crossEnvironment.reason());
        assertTrue(crossEnvironment.reason().contains("remote is ESS"), crossEnvironment.reason());
        assertEquals("registration", DeploymentFacts.registrationViolations(request(Registration.ECE_REMOTE_CLUSTERS),
                eceLocal, otherInstallation).get(0).field());
        assertEquals("registration", DeploymentFacts.registrationViolations(request(Registration.ECE_REMOTE_CLUSTERS),
                info("ess", "r0", "ESS", ESS_ORG), essRemote).get(0).field(), "one ESS organization is no ECE installation");
        assertEquals(List.of(), DeploymentFacts.registrationViolations(request(Registration.CLUSTER_SETTINGS),
                eceLocal, essRemote), "cluster settings work across environments");
    }

    // ------------------------------------------------------------------ helpers

    private static Violation only(DeploymentFacts.Outcome outcome) {
        assertNull(outcome.info());
        assertEquals(1, outcome.violations().size(), outcome.violations().toString());
        return outcome.violations().get(0);
    }

    private static ConnectionRequest request(Registration registration) {
        return ConnectionRequest.tlsCertificate("a", new DeploymentRef("ece", "l1", null),
                new DeploymentRef("ece", "p1", null), true, new TrustRequest(false), registration);
    }

    private static DeploymentInfo info(String environment, String id, String kind, String account) {
        return new DeploymentInfo(environment, id, "main-elasticsearch", "c-" + id, id + ".example", "8.19.21", kind,
                account, 9300);
    }

    private void deployment(String environment, String id, String clusterId, String endpoint, String version,
            String organizationId, Integer transportPort) {
        String metadata = organizationId == null ? "{}" : "{\"organization_id\":\"" + organizationId + "\"}";
        String ports = transportPort == null ? "{\"http\":9200}" : "{\"http\":9200,\"transport_passthrough\":" + transportPort + "}";
        answers.put(environment + "/deployments/" + id, new ElasticAnswer(200, json("""
                {"id":"%s","metadata":%s,"resources":{"elasticsearch":[
                  {"ref_id":"main-elasticsearch","id":"%s","info":{"cluster_id":"%s",
                   "metadata":{"endpoint":"%s","ports":%s},
                   "plan_info":{"current":{"plan":{"elasticsearch":{"version":"%s"}}}}}}]}}
                """.formatted(id, metadata, clusterId, clusterId, endpoint, ports, version)).toString()));
    }

    private ConnectConfig config() {
        return new ConnectConfig() {
            @Override
            public Map<String, Environment> environments() {
                return Map.of("ece", environment("ece"), "ess", environment("ess"));
            }

            @Override
            public Map<String, Deployment> deployments() {
                return Map.of();
            }

            @Override
            public Work work() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Remote remote() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Saga saga() {
                throw new UnsupportedOperationException();
            }

            @Override
            public StrongIdentityFiles strongIdentity() {
                throw new UnsupportedOperationException();
            }
        };
    }

    private ConnectConfig.Environment environment(String name) {
        return new ConnectConfig.Environment() {
            @Override
            public String url() {
                return name;
            }

            @Override
            public String apiKey() {
                return name + "-key";
            }

            @Override
            public Optional<EnvironmentKind> kind() {
                return kinds.get(name);
            }

            @Override
            public Optional<String> tlsConfigurationName() {
                return Optional.empty();
            }
        };
    }
}
