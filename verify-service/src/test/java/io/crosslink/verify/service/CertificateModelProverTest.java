package io.crosslink.verify.service;

import static io.crosslink.verify.support.FakeElasticsearch.recorded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.verify.domain.AttemptResult.Proven;
import io.crosslink.verify.domain.AttemptResult.Unproven;
import io.crosslink.verify.domain.ProbePlan;
import io.crosslink.verify.domain.ProbeTarget;
import io.crosslink.verify.support.FakeElasticsearch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One certificate-model attempt against answers recorded on two real 8.19.21 nodes with separate CAs and trust
 * restrictions (src/test/resources/es/cert-*.json; the remote registered with skip_unavailable true, or false for
 * the *-500 answers, which is the only case where Elasticsearch names the TLS cause).
 */
class CertificateModelProverTest {
    private static final String RESOLVE = "/_resolve/cluster/linked:*";
    private static final String REMOTE_INFO = "/_remote/info";
    private static final String SEARCH = "/linked:*/_search?size=0";
    private static final ProbeTarget TARGET = new ProbeTarget("c1", "local", "linked", new ProbePlan.CertificateProbe());

    private final FakeElasticsearch elasticsearch = new FakeElasticsearch();
    private final ConnectionProver prover = new ConnectionProver(elasticsearch);

    @Test
    void connectedAndAnsweredSearchIsProvenWithoutAnyCredentials() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-connected"))
                .on(SEARCH, recorded("cert-search-ok"))
                .on(REMOTE_INFO, recorded("cert-remote-info-connected"));

        Proven proven = assertInstanceOf(Proven.class, prover.attempt(TARGET));

        assertEquals("GET /linked:*/_search?size=0", proven.probe());
        assertEquals(1, proven.probeHits());
        assertEquals(18, proven.connectedSockets(), "_remote/info shows no cluster_credentials here, and needs not");
        assertEquals(List.of("local " + RESOLVE, "local " + SEARCH, "local " + REMOTE_INFO), elasticsearch.calls(),
                "resolve first (it makes Elasticsearch connect again), then the search that proves it");
    }

    @Test
    void resolveErrorNamingPkixIsCertificateNotTrusted() {
        // Constructed in _resolve/cluster's documented shape: 8.19.21 leaves `error` out for TLS failures, but names
        // the exception there for other connection failures.
        elasticsearch.on(RESOLVE, new ElasticAnswer(200, "{\"linked\":{\"connected\":false,\"skip_unavailable\":true,"
                + "\"error\":\"javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path"
                + " to requested target\"}}"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(TARGET));

        assertEquals("certificate_not_trusted", unproven.cause().type());
        assertTrue(unproven.cause().reason().startsWith("remote cluster [linked]: L does not trust R's certificate"),
                unproven.cause().reason());
        assertTrue(unproven.cause().reason().contains("unable to find valid certification path"), unproven.cause().reason());
        assertFalse(unproven.hopeless(), "trust may be reloaded by the next attempt");
        assertEquals(List.of("local " + RESOLVE), elasticsearch.calls(), "the cause is known: no probe");
    }

    @Test
    void localLackingTheRemotesCaIsCertificateNotTrusted() {
        // As the real client delivers a 500: after its own retries, as an exception carrying the last answer.
        ElasticAnswer pkix = recorded("cert-search-pkix-500");
        elasticsearch.on(RESOLVE, recorded("cert-resolve-not-connected"))
                .on(SEARCH, new TransientElasticCallException(new StepFailure("no_seed_node_left_exception",
                        "GET /linked:*/_search on local: Unable to open any proxy connections", 500, true), null, pkix));

        StepFailure cause = assertInstanceOf(Unproven.class, prover.attempt(TARGET)).cause();

        assertEquals("certificate_not_trusted", cause.type());
        assertTrue(cause.reason().contains("PKIX path building failed"), cause.reason());
        assertTrue(cause.reason().contains("Unable to open any proxy connections to cluster [linked]"), cause.reason());
        assertEquals(500, cause.httpStatus());
    }

    @Test
    void localTrustRestrictionExcludingTheRemoteIsTrustRestrictionMismatch() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-not-connected"))
                .on(SEARCH, recorded("cert-search-trust-restriction-500"));

        StepFailure cause = assertInstanceOf(Unproven.class, prover.attempt(TARGET)).cause();

        assertEquals("trust_restriction_mismatch", cause.type());
        assertTrue(cause.reason().contains("L's trust restrictions do not admit R's certificate"), cause.reason());
        assertTrue(cause.reason().contains("does not match the trusted names [*.aaaa1111.ece.local, *.9999.es.local]"),
                cause.reason());
    }

    @Test
    void remoteRefusingTheLocalCertificateIsCertificateRefusedByRemote() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-not-connected"))
                .on(SEARCH, recorded("cert-search-handshake-reset-500"));

        StepFailure cause = assertInstanceOf(Unproven.class, prover.attempt(TARGET)).cause();

        assertEquals("certificate_refused_by_remote", cause.type());
        assertTrue(cause.reason().contains("R does not trust L's certificate"), cause.reason());
        assertTrue(cause.reason().contains("handshake failed because connection reset"), cause.reason());
    }

    @Test
    void skippedRemoteInASuccessfulSearchIsAFailure() {
        // skip_unavailable=true: the search answers 200 with the remote skipped, even after resolve said connected
        // (a connection that dropped in between, or _remote/info-style optimism from a resumed session).
        elasticsearch.on(RESOLVE, recorded("cert-resolve-connected"))
                .on(SEARCH, recorded("cert-search-skipped-unreachable"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(TARGET));

        StepFailure cause = unproven.cause();
        assertEquals("remote_connection_failed", cause.type());
        assertTrue(cause.reason().contains("skipped the remote cluster: connect_transport_exception: Unable to connect to"
                + " [linked]"), cause.reason());
        assertTrue(cause.reason().contains("skip_unavailable false"), "says where the TLS cause would be: " + cause.reason());
        assertFalse(unproven.hopeless());
        assertFalse(elasticsearch.calls().contains("local " + REMOTE_INFO), "not proven: no sockets to report");
    }

    @Test
    void notConnectedWithoutAnyCauseIsAConnectionFailure() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-not-connected"))
                .on(SEARCH, recorded("cert-search-skipped-unreachable"));

        StepFailure cause = assertInstanceOf(Unproven.class, prover.attempt(TARGET)).cause();

        assertEquals("remote_connection_failed", cause.type());
        assertEquals(List.of("local " + RESOLVE, "local " + SEARCH), elasticsearch.calls(),
                "searched although not connected: one more connection attempt, and the only place a cause shows");
    }

    @Test
    void refusalOfAnotherKindKeepsElasticsearchsTypeAndWords() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-connected"))
                .on(SEARCH, recorded("search-error-security-403"));

        StepFailure cause = assertInstanceOf(Unproven.class, prover.attempt(TARGET)).cause();

        assertEquals("security_exception", cause.type());
        assertTrue(cause.reason().startsWith("remote cluster [linked]: GET /linked:*/_search?size=0: security_exception"),
                cause.reason());
    }

    @Test
    void localRefusingTheConfiguredUserIsHopeless() {
        elasticsearch.on(RESOLVE, new ElasticAnswer(401, "{\"error\":{\"type\":\"security_exception\","
                + "\"reason\":\"unable to authenticate user [crosslink] for REST request [/_resolve/cluster/linked:*]\"},"
                + "\"status\":401}"));

        Unproven unproven = assertInstanceOf(Unproven.class, prover.attempt(TARGET));

        assertTrue(unproven.hopeless());
        assertEquals("security_exception", unproven.cause().type());
    }
}
