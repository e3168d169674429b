package io.crosslink.connect.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.connect.policy.AccessPolicy.PolicyException;
import io.crosslink.connect.service.RequestValidator;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy file's checks and each rule's judgement: every refusal names the field and the rule. */
class AccessPolicyTest {
    static final String LOCAL = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    static final String PEER = "bee5feed00112233445566778899aabb";

    static final String POLICY = """
            teams:
              team-a:
                security_models: [api_key]
                max_live_connections: 2
                locals:
                  - environment: ece
                    deployments: [%s]
                remotes:
                  - environment: ess
                    deployments: [%s]
                    indices: ["logs-*", "metrics-app", ".kibana-demo*"]
                  - environment: ece
                    indices: ["*", ".*"]
                    replication: true
                    allow_restricted_indices: true
                    allow_exclusions: true
              team-b:
                security_models: [api_key, tls_certificate]
                max_live_connections: 0
                locals: [{environment: ece}]
                remotes: [{environment: ess}]
            """.formatted(LOCAL, REMOTE);

    final AccessPolicy policy = parse(POLICY);

    @Test
    void aRequestWithinEveryRuleIsAllowed() {
        assertEquals(List.of(), policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"logs-*\",\"logs-app-2024\",\"metrics-app\",\".kibana-demo-1\"]}]}")));
        assertEquals(List.of(), policy.check("team-a", request(LOCAL, "ece", PEER,
                "{\"search\":[{\"names\":[\"*\",\".security\",\"-secret-*\"],\"allow_restricted_indices\":true}],"
                        + "\"replication\":[{\"names\":[\"logs-*\"]}]}")));
    }

    @Test
    void aTeamMissingFromThePolicyMayRequestNothing() {
        assertEquals(List.of(new Violation("crosslink_team",
                        "policy: team team-z is not in the policy, so it may request nothing (teams)")),
                policy.check("team-z", request(LOCAL, "ess", REMOTE, "{\"search\":[{\"names\":[\"logs-*\"]}]}")));
        assertTrue(policy.liveLimit("team-z", 0).orElseThrow().reason().contains("(teams)"));
    }

    @Test
    void theSecurityModelMustBeListed() {
        ConnectionRequest certificate = validated("""
                {"alias":"a","securityModel":"tls_certificate","local":{"environment":"ece","deploymentId":"%s"},
                 "remote":{"environment":"ess","deploymentId":"%s"}}""".formatted(LOCAL, REMOTE));

        assertEquals(List.of(new Violation("securityModel",
                "policy: team-a may not use the tls_certificate security model (teams.team-a.security_models)")),
                policy.check("team-a", certificate));
        assertEquals(List.of(), policy.check("team-b", certificate), "team-b lists it; no access to judge");
    }

    @Test
    void theLocalDeploymentMustBeListedOrOfAListedEnvironment() {
        List<Violation> refused = policy.check("team-a", request(PEER, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"logs-*\"]}]}"));

        assertEquals(List.of(new Violation("local", "policy: team-a may not use deployment ece/" + PEER
                + " as local (teams.team-a.locals)")), refused);
        assertEquals(List.of(), policy.check("team-b", request(PEER, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"x\"]}]}")).stream().filter(v -> v.field().equals("local")).toList());
    }

    @Test
    void theRemoteDeploymentMustMatchAnEntry() {
        List<Violation> refused = policy.check("team-a", request(LOCAL, "ess", PEER,
                "{\"search\":[{\"names\":[\"logs-*\"]}]}"));

        assertEquals(List.of(new Violation("remote", "policy: team-a may not use deployment ess/" + PEER
                + " as remote (teams.team-a.remotes)")), refused);
    }

    @Test
    void aPatternNoAllowedPatternCoversIsRefusedNamingTheRemotesIndices() {
        List<Violation> refused = policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"logs-*\",\"logs*\",\"metrics-*\"]}]}"));

        assertEquals(List.of("access.search[0].names[1]", "access.search[0].names[2]"),
                refused.stream().map(Violation::field).toList());
        assertEquals("policy: team-a may not request \"logs*\" on this remote: no allowed pattern covers it "
                + "(allowed: [logs-*, metrics-app, .kibana-demo*]) (teams.team-a.remotes[0].indices)",
                refused.get(0).reason());
    }

    @Test
    void aBareStarNeedsStarItself() {
        Violation refused = only(policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"*\"]}]}")));

        assertEquals("access.search[0].names[0]", refused.field());
        assertTrue(refused.reason().contains("a bare * is allowed only when * itself is listed"), refused.reason());
        assertTrue(refused.reason().endsWith("(teams.team-a.remotes[0].indices)"), refused.reason());
        assertEquals(Optional.empty(), Optional.ofNullable(AccessPolicy.refusal("*", List.of("**"), remote(false))));
        assertTrue(AccessPolicy.refusal("*", List.of("*-*", "a*"), remote(false)) != null);
    }

    @Test
    void aDotPatternNeedsAnAllowedDotPattern() {
        Violation refused = only(policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\".security\"]}]}")));

        assertTrue(refused.reason().contains("a pattern starting with '.' needs an allowed pattern starting with '.'"),
                refused.reason());
        assertTrue(refused.reason().endsWith("(teams.team-a.remotes[0].indices)"), refused.reason());
        // A listed * covers everything but dot patterns: those need a dot pattern of their own.
        assertTrue(AccessPolicy.refusal(".kibana", List.of("*"), remote(false)) != null);
        assertEquals(null, AccessPolicy.refusal(".kibana", List.of("*", ".*"), remote(false)));
        assertEquals(null, AccessPolicy.refusal(".kibana-demo-x", List.of(".kibana-demo*"), remote(false)));
    }

    @Test
    void anExclusionNeedsAllowExclusions() {
        Violation refused = only(policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"logs-*\",\"-logs-secret\"]}]}")));

        assertEquals("access.search[0].names[1]", refused.field());
        assertEquals("policy: team-a may not request \"-logs-secret\" on this remote: it needs allow_exclusions: true "
                + "(teams.team-a.remotes[0].allow_exclusions)", refused.reason());
    }

    @Test
    void restrictedIndicesNeedAllowRestrictedIndices() {
        Violation refused = only(policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"logs-*\"],\"allow_restricted_indices\":true}]}")));

        assertEquals("access.search[0].allow_restricted_indices", refused.field());
        assertTrue(refused.reason().endsWith("(teams.team-a.remotes[0].allow_restricted_indices)"), refused.reason());
        assertEquals(List.of(), policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"logs-*\"],\"allow_restricted_indices\":false}]}")));
    }

    @Test
    void replicationNeedsReplicationTrueAndCoveredNames() {
        Violation refused = only(policy.check("team-a", request(LOCAL, "ess", REMOTE,
                "{\"replication\":[{\"names\":[\"logs-*\"]}]}")));

        assertEquals("access.replication", refused.field());
        assertEquals("policy: team-a may not request replication from this remote: it needs replication: true "
                + "(teams.team-a.remotes[0].replication)", refused.reason());
        AccessPolicy replicating = parse("""
                teams:
                  t:
                    security_models: [api_key]
                    max_live_connections: 1
                    locals: [{environment: ece}]
                    remotes: [{environment: ece, indices: ["logs-*"], replication: true}]
                """);
        Violation names = only(replicating.check("t", request(LOCAL, "ece", PEER,
                "{\"replication\":[{\"names\":[\"logs-*\",\"metrics-*\"]}]}")));
        assertEquals("access.replication[0].names[1]", names.field());
        assertTrue(names.reason().endsWith("(teams.t.remotes[0].indices)"), names.reason());
    }

    @Test
    void theFirstMatchingRemoteEntryDecides() {
        String twice = """
                teams:
                  t:
                    security_models: [api_key]
                    max_live_connections: 1
                    locals: [{environment: ece}]
                    remotes:
                      - {environment: ess, deployments: [%s], indices: ["a-*"]}
                      - {environment: ess, indices: ["*"]}
                """.formatted(REMOTE);
        AccessPolicy first = parse(twice);

        assertEquals("access.search[0].names[0]", only(first.check("t", request(LOCAL, "ess", REMOTE,
                "{\"search\":[{\"names\":[\"b-1\"]}]}"))).field());
        assertEquals(List.of(), first.check("t", request(LOCAL, "ess", PEER, "{\"search\":[{\"names\":[\"b-1\"]}]}")));
    }

    @Test
    void theLiveLimitIsPerTeam() {
        assertEquals(Optional.empty(), policy.liveLimit("team-a", 1));
        Violation full = policy.liveLimit("team-a", 2).orElseThrow();
        assertEquals("crosslink_team", full.field());
        assertEquals("policy: team-a has 2 live connections, the most it may have is 2 "
                + "(teams.team-a.max_live_connections)", full.reason());
        assertTrue(policy.liveLimit("team-b", 0).isPresent(), "a limit of 0 allows none");
    }

    @Test
    void coverageTreatsAStarOfTheRequestAsAnyText() {
        assertTrue(AccessPolicy.covers("logs-*", "logs-*"));
        assertTrue(AccessPolicy.covers("logs-*", "logs-app-*"));
        assertTrue(AccessPolicy.covers("logs-*", "logs-"));
        assertTrue(AccessPolicy.covers("*-logs", "app-*-logs"));
        assertTrue(AccessPolicy.covers("a*b*c", "a-x*y-b-c"));
        assertTrue(AccessPolicy.covers("*", "anything*"));
        assertFalse(AccessPolicy.covers("logs-*", "logs*"));
        assertFalse(AccessPolicy.covers("logs-*", "*"));
        assertFalse(AccessPolicy.covers("logs-app", "logs-*"));
        assertFalse(AccessPolicy.covers("a*c", "a*"));
        assertFalse(AccessPolicy.covers("logs-*", "metrics-1"));
    }

    @Test
    void unknownKeysAreAnErrorNamingWhere() {
        PolicyException e = assertThrows(PolicyException.class, () -> AccessPolicy.parse(
                POLICY.replace("max_live_connections: 2", "max_live_connections: 2\n    max_connections: 3")));

        assertTrue(e.getMessage().startsWith("unknown key \"max_connections\" in teams.team-a (line "), e.getMessage());
        PolicyException nested = assertThrows(PolicyException.class, () -> AccessPolicy.parse(
                POLICY.replace("replication: true", "replication: true\n        replicaton: true")));
        assertTrue(nested.getMessage().startsWith("unknown key \"replicaton\" in teams.team-a.remotes[1]"),
                nested.getMessage());
    }

    @Test
    void missingRulesAndBadValuesAreErrorsNamingThePath() {
        assertMessage("teams.team-b.max_live_connections is required",
                POLICY.replace("    max_live_connections: 0\n", ""));
        assertMessage("teams.team-b.locals is required", POLICY.replace("    locals: [{environment: ece}]\n", ""));
        assertMessage("teams.team-a.remotes[0].environment is required",
                POLICY.replace("  - environment: ess\n        deployments", "  - deployments"));
        assertMessage("teams.team-b.max_live_connections must be 0 or more",
                POLICY.replace("max_live_connections: 0", "max_live_connections: -1"));
        assertMessage("teams.team-a.remotes[0].indices[0] must not start with '-'",
                POLICY.replace("\"logs-*\", \"metrics-app\"", "\"-logs-*\", \"metrics-app\""));
        assertMessage("invalid value at teams.team-a.security_models[0]",
                POLICY.replace("security_models: [api_key]", "security_models: [password]"));
        assertMessage("teams is required", "teams:\n");
        assertMessage("is empty", "");
        assertMessage("not valid YAML", "teams: 'unterminated");
        assertMessage("teams: \"a:b\" is no team name", "teams:\n  \"a:b\":\n    locals: []\n");
    }

    @Test
    void aDuplicateKeyIsAnError() {
        assertMessage("invalid value at teams (line 17, column 9): Duplicate field 'team-a'",
                POLICY.replace("  team-b:", "  team-a:"));
    }

    /** deploy/local/policy.yaml: the README's requests (and e2e's, as team-a) are within it for both demo teams. */
    @Test
    void theLocalRunsPolicyLetsBothDemoTeamsMakeTheReadmesRequests() throws PolicyException {
        AccessPolicy demo = AccessPolicy.read(Path.of(System.getProperty("crosslink.root", ".."))
                .resolve("deploy/local/policy.yaml"));

        assertEquals(Set.of("team-a", "team-b"), demo.teams());
        ConnectionRequest peer = validated("""
                {"alias":"peer","securityModel":"tls_certificate","registration":"ece_remote_clusters",
                 "local":{"environment":"ece","deploymentId":"%s"},"remote":{"environment":"ece","deploymentId":"%s"}}"""
                .formatted(LOCAL, PEER));
        for (String team : demo.teams()) {
            assertEquals(List.of(), demo.check(team, request(LOCAL, "ess", REMOTE,
                    "{\"search\":[{\"names\":[\"demo-*\"]}]}")), team);
            assertEquals(List.of(), demo.check(team, request(PEER, "ess", REMOTE,
                    "{\"search\":[{\"names\":[\"demo-*\"]}]}")), team);
            assertEquals(List.of(), demo.check(team, peer), team);
            assertEquals(1, demo.check(team, request(LOCAL, "ess", REMOTE,
                    "{\"search\":[{\"names\":[\"*\"]}]}")).size(), team);
        }
    }

    private static void assertMessage(String start, String yaml) {
        PolicyException e = assertThrows(PolicyException.class, () -> AccessPolicy.parse(yaml));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    private static Violation only(List<Violation> violations) {
        assertEquals(1, violations.size(), String.valueOf(violations));
        return violations.get(0);
    }

    private static PolicyDocument.Remote remote(boolean exclusions) {
        return new PolicyDocument.Remote("ess", null, List.of(), false, false, exclusions);
    }

    static AccessPolicy parse(String yaml) {
        try {
            return AccessPolicy.parse(yaml);
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static ConnectionRequest request(String local, String remoteEnvironment, String remote, String access) {
        return validated("""
                {"alias":"a","securityModel":"api_key","local":{"environment":"ece","deploymentId":"%s"},
                 "remote":{"environment":"%s","deploymentId":"%s"},"access":%s}"""
                .formatted(local, remoteEnvironment, remote, access));
    }

    private static ConnectionRequest validated(String json) {
        RequestValidator.Result result = RequestValidator.validate(TestRequests.json(json));
        assertTrue(result.valid(), String.valueOf(result.violations()));
        return result.request();
    }
}
