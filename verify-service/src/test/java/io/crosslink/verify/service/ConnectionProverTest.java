package io.crosslink.verify.service;

import static io.crosslink.verify.support.FakeElasticsearch.recorded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.verify.domain.AttemptResult;
import io.crosslink.verify.domain.AttemptResult.Proven;
import io.crosslink.verify.domain.AttemptResult.Unproven;
import io.crosslink.verify.domain.ProbePlan;
import io.crosslink.verify.domain.ProbeTarget;
import io.crosslink.verify.support.FakeElasticsearch;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One attempt against answers recorded on a real Elasticsearch 8.19 node: one test per path through it. */
class ConnectionProverTest {
    private static final String RESOLVE = "/_resolve/cluster/linked:*";
    private static final String REMOTE_INFO = "/_remote/info";
    private static final String SEARCH = "/linked:demo-*/_search?size=0";
    private static final ProbeTarget SEARCH_TARGET = new ProbeTarget("c1", "local", "linked",
            new ProbePlan.SearchProbe("demo-*"));
    private static final ProbeTarget REPLICATION_TARGET = new ProbeTarget("c1", "local", "linked",
            new ProbePlan.ConnectionProbe());

    private final FakeElasticsearch elasticsearch = new FakeElasticsearch();
    private final ConnectionProver prover = new ConnectionProver(elasticsearch);

    @Test
    void connectedRemoteWithSearchAccessIsProvenBySearchHits() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));

        Proven proven = assertInstanceOf(Proven.class, prover.attempt(SEARCH_TARGET));

        assertEquals("GET /linked:demo-*/_search?size=0", proven.probe());
        assertEquals(1, proven.probeHits());
        assertEquals(18, proven.connectedSockets());
        assertEquals(List.of("local " + RESOLVE, "local " + REMOTE_INFO, "local " + SEARCH), elasticsearch.calls(),
                "resolve first: it is what makes Elasticsearch connect again");
    }

    @Test
    void remoteWithoutCredentialsOnLocalIsNotConnectedYet() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected"))
                .on(REMOTE_INFO, recorded("remote-info-no-credentials"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertFalse(unproven.hopeless(), "the keystore reload may still come");
        assertEquals("remote_credentials_missing", unproven.cause().type());
        assertTrue(unproven.cause().reason().contains("cluster.remote.linked.credentials"), unproven.cause().reason());
        assertEquals(List.of("local " + RESOLVE, "local " + REMOTE_INFO), elasticsearch.calls(), "no probe while unconnected");
    }

    @Test
    void keyRefusedByRemoteIsASecurityException() {
        elasticsearch.on(RESOLVE, recorded("resolve-authentication-error"))
                .on(REMOTE_INFO, recorded("remote-info-credentials-not-connected"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertEquals("security_exception", unproven.cause().type());
        assertEquals("remote cluster [linked]: error attempting to authenticate request", unproven.cause().reason());
    }

    /** Strong identity (9.5.4's texts): a signer whose DN the key's pattern refuses never becomes right. */
    @Test
    void signerRefusedByTheKeysPatternIsAHopelessIdentityMismatch() {
        elasticsearch.on(RESOLVE, recorded("resolve-identity-mismatch"))
                .on(REMOTE_INFO, recorded("remote-info-credentials-not-connected"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertTrue(unproven.hopeless());
        assertEquals("certificate_identity_mismatch", unproven.cause().type());
        assertTrue(unproven.cause().reason().startsWith("remote cluster [linked]: L's signing certificate is not the one"
                + " R's key accepts: DN from provided certificate [CN=node.e5f6"), unproven.cause().reason());
    }

    @Test
    void unsignedOrUntrustedSignerIsNamedAndWorthAnotherTry() {
        elasticsearch.on(RESOLVE, recorded("resolve-identity-unsigned"))
                .on(REMOTE_INFO, recorded("remote-info-credentials-not-connected"));
        Unproven unsigned = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));
        assertFalse(unsigned.hopeless(), "L's signing settings may not be applied yet");
        assertEquals("signing_certificate_missing", unsigned.cause().type());

        elasticsearch.on(RESOLVE, recorded("resolve-identity-untrusted-ca"))
                .on(REMOTE_INFO, recorded("remote-info-credentials-not-connected"));
        Unproven untrusted = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));
        assertFalse(untrusted.hopeless(), "R's CA list may not be loaded yet");
        assertEquals("signing_certificate_untrusted", untrusted.cause().type());
        assertTrue(untrusted.cause().reason().contains("cluster.remote.signing.certificate_authorities"));
    }

    @Test
    void probeSkippedForLackOfPrivilegesIsASecurityException() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-skipped-security"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertEquals("security_exception", unproven.cause().type());
        assertTrue(unproven.cause().reason().contains("action [indices:data/read/search] towards remote cluster is unauthorized"),
                unproven.cause().reason());
        assertEquals(200, unproven.cause().httpStatus(), "skip_unavailable: Elasticsearch answers 200 and skips R");
    }

    @Test
    void probeRefusedWithoutSkipUnavailableIsTheSearchError() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-error-security-403"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertEquals("security_exception", unproven.cause().type());
        assertEquals(403, unproven.cause().httpStatus());
        assertTrue(unproven.cause().reason().startsWith("probe GET /linked:demo-*/_search?size=0: action"),
                unproven.cause().reason());
    }

    @Test
    void remoteLostBetweenResolveAndProbeIsWorthAnotherTry() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-skipped-unreachable"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertFalse(unproven.hopeless());
        assertEquals("connect_transport_exception", unproven.cause().type());
        assertTrue(unproven.cause().reason().contains("Unable to connect to [linked]"), unproven.cause().reason());
    }

    @Test
    void unreachableRemoteWithoutSkipUnavailableIsTheSearchError() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-error-no-seed-500"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertFalse(unproven.hopeless());
        assertEquals("no_seed_node_left_exception", unproven.cause().type());
        assertEquals(500, unproven.cause().httpStatus());
    }

    @Test
    void grantedIndexThatDoesNotExistYetStillProvesTheConnection() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-skipped-index-not-found"));

        Proven proven = assertInstanceOf(Proven.class, prover.attempt(SEARCH_TARGET));

        assertEquals(0, proven.probeHits());
    }

    @Test
    void replicationOnlyAccessIsProvenByTheAuthenticatedHandshake() {
        elasticsearch.on(RESOLVE, recorded("resolve-replication-only-unauthorized"))
                .on(REMOTE_INFO, recorded("remote-info-replication-only"));

        Proven proven = assertInstanceOf(Proven.class, prover.attempt(REPLICATION_TARGET));

        assertTrue(proven.probe().startsWith("GET /_resolve/cluster/linked:*"), proven.probe());
        assertEquals(18, proven.connectedSockets());
        assertEquals(2, elasticsearch.calls().size(), "no search: replication access does not grant it");
    }

    @Test
    void replicationOnlyAccessIsNotProvenWhenTheKeyIsRefused() {
        elasticsearch.on(RESOLVE, recorded("resolve-authentication-error"))
                .on(REMOTE_INFO, recorded("remote-info-credentials-not-connected"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(REPLICATION_TARGET));

        assertEquals("security_exception", unproven.cause().type());
    }

    @Test
    void unknownAliasOnLocalIsReportedAsElasticsearchSaysIt() {
        elasticsearch.on(RESOLVE, recorded("resolve-unknown-alias-403"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertEquals("security_exception", unproven.cause().type());
        assertTrue(unproven.cause().reason().contains("no such remote cluster: [linked]"), unproven.cause().reason());
        assertFalse(unproven.hopeless());
    }

    @Test
    void localRefusingTheConfiguredUserIsHopeless() {
        elasticsearch.on(RESOLVE, new io.crosslink.elastic.ElasticAnswer(401,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate user [crosslink] for REST request [/_resolve/cluster/linked:*]\"},\"status\":401}"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertTrue(unproven.hopeless());
        assertEquals("security_exception", unproven.cause().type());
    }

    @Test
    void unreachableLocalIsWorthAnotherTry() {
        elasticsearch.on(RESOLVE, ElasticCallException.fromException(new ConnectException("Connection refused")));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(SEARCH_TARGET));

        assertFalse(unproven.hopeless());
        assertEquals("connection_refused", unproven.cause().type());
    }

    @Test
    void deploymentWithoutConfiguredAccessIsHopeless() {
        elasticsearch.on(RESOLVE, ElasticCallException.of(new StepFailure("deployment_not_configured", "no access", null,
                false)));

        AttemptResult result = prover.attempt(SEARCH_TARGET);

        assertTrue(assertInstanceOf(Unproven.class, result).hopeless());
    }
}
