package io.crosslink.verify.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.elastic.ElasticErrors;
import io.crosslink.runtime.secret.Redactor;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.verify.client.ElasticsearchClient;
import io.crosslink.verify.domain.AttemptResult;
import io.crosslink.verify.domain.AttemptResult.Proven;
import io.crosslink.verify.domain.AttemptResult.Unproven;
import io.crosslink.verify.domain.ProbePlan;
import io.crosslink.verify.domain.ProbeTarget;
import io.crosslink.verify.domain.StrongIdentityFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One verification attempt on L, as the configured user:
 * <ol>
 * <li>{@code GET /_resolve/cluster/<alias>:*} connects to R actively. Elasticsearch does not retry a remote that
 * already failed, and {@code _remote/info} alone never reconnects, so a connection that failed before the
 * keystore reload (asynchronous on Elastic Cloud) only recovers this way. The wildcard never fails for lack of
 * index privileges (unauthorized indices are left out), so a per-cluster {@code error} here is about the
 * connection or the key.</li>
 * <li>{@code GET /_remote/info}: connected, open sockets, and whether L holds credentials for the alias.</li>
 * <li>The probe of the {@link ProbePlan}: a search inside the granted access. With {@code skip_unavailable}
 * the search answers 200 even when R was skipped, so the cluster's status in {@code _clusters.details} decides.</li>
 * </ol>
 * Every answer seen here was checked on Elasticsearch 8.19 (see the recorded answers in the tests). That is the
 * API-key model; a certificate-model connection is proven by {@link CertificateModelProver}.
 */
@ApplicationScoped
public class ConnectionProver {
    static final String INDEX_NOT_FOUND = "index_not_found_exception";
    private static final Pattern SECURITY_TEXT = Pattern.compile("(?i)unauthori[sz]ed|authenticat|credential|security");

    private final ElasticsearchClient elasticsearch;
    private final CertificateModelProver certificateModel;

    public ConnectionProver(ElasticsearchClient elasticsearch) {
        this.elasticsearch = elasticsearch;
        this.certificateModel = new CertificateModelProver(elasticsearch);
    }

    public AttemptResult attempt(ProbeTarget target) {
        try {
            return prove(target);
        } catch (ElasticCallException e) {
            // No answer: refused or timed out (try again), or nothing configured to ask (hopeless).
            return new Unproven(e.failure(), !e.failure().retryable());
        }
    }

    private AttemptResult prove(ProbeTarget target) {
        if (target.plan() instanceof ProbePlan.CertificateProbe) {
            return certificateModel.prove(target);
        }
        String alias = target.alias();
        ElasticAnswer resolveAnswer = elasticsearch.resolveCluster(target.deploymentId(), target.localVersion(), alias + ":*");
        if (!resolveAnswer.ok()) {
            return refusedByLocal(resolveAnswer);
        }
        JsonNode resolved = json(resolveAnswer, "_resolve/cluster").path(alias);
        ElasticAnswer infoAnswer = elasticsearch.remoteInfo(target.deploymentId());
        if (!infoAnswer.ok()) {
            return refusedByLocal(infoAnswer);
        }
        JsonNode remote = json(infoAnswer, "_remote/info").path(alias);
        if (!remote.isObject() || !resolved.isObject()) {
            return Unproven.retry(new StepFailure("no_such_remote_cluster", "L has no remote cluster [" + alias + "] ("
                    + (remote.isObject() ? "_resolve/cluster" : "_remote/info") + " does not list it)", null, true));
        }
        int sockets = sockets(remote);
        String error = errorText(resolved.path("error"));
        if (resolved.path("connected").asBoolean(false) && error == null) {
            return target.plan() instanceof ProbePlan.SearchProbe search
                    ? search(target, search.pattern(), sockets)
                    : new Proven(resolveProbe(alias), 0, sockets);
        }
        if (target.plan() instanceof ProbePlan.ConnectionProbe && authenticatedButNotAuthorized(error)
                && remote.path("connected").asBoolean(false) && sockets > 0) {
            // Only a key R accepted gets as far as an authorization decision.
            return new Proven(resolveProbe(alias) + " (replication-only access: authenticated, search not granted)", 0,
                    sockets);
        }
        Optional<StrongIdentityFailure> identity = StrongIdentityFailure.of(error);
        if (identity.isPresent()) {
            return new Unproven(identity.get().failure(alias, error), identity.get().hopeless());
        }
        return Unproven.retry(notConnected(alias, error, remote, sockets));
    }

    private AttemptResult search(ProbeTarget target, String pattern, int sockets) {
        String alias = target.alias();
        String probe = "GET /" + alias + ":" + pattern + "/_search?size=0";
        ElasticAnswer answer = elasticsearch.search(target.deploymentId(), alias + ":" + pattern);
        if (!answer.ok()) {
            // skip_unavailable=false: R's refusal comes back as the search's own error.
            StepFailure failure = ElasticErrors.fromResponse(answer.status(), answer.body());
            if (INDEX_NOT_FOUND.equals(failure.type())) {
                return new Proven(probe, 0, sockets);
            }
            return new Unproven(withProbe(failure, probe), answer.status() == 401);
        }
        JsonNode body = json(answer, "the probe search");
        JsonNode clusters = body.path("_clusters");
        JsonNode details = clusters.path("details").path(alias);
        if (details.isObject()) {
            String status = details.path("status").asText("");
            if (!status.equals("successful") && !status.equals("partial")) {
                JsonNode reason = details.path("failures").path(0).path("reason");
                String type = reason.path("type").asText("remote_cluster_" + status);
                if (INDEX_NOT_FOUND.equals(type)) {
                    // R answered inside the access: the granted index just does not exist (yet).
                    return new Proven(probe, 0, sockets);
                }
                return Unproven.retry(new StepFailure(type, "probe " + probe + " " + status + " the remote cluster: "
                        + Redactor.redact(reason.path("reason").asText("no reason given")), answer.status(), true));
            }
        } else if (clusters.path("skipped").asInt(0) > 0) {
            return Unproven.retry(new StepFailure("remote_cluster_skipped", "probe " + probe
                    + " skipped the remote cluster", answer.status(), true));
        }
        JsonNode total = body.path("hits").path("total");
        long hits = total.isNumber() ? total.asLong() : total.path("value").asLong(0);
        return new Proven(probe, hits, sockets);
    }

    /** L refused our own call: 401 means the configured user is wrong, which no retry fixes. */
    static Unproven refusedByLocal(ElasticAnswer answer) {
        return new Unproven(ElasticErrors.fromResponse(answer.status(), answer.body()), answer.status() == 401);
    }

    private static StepFailure notConnected(String alias, String error, JsonNode remote, int sockets) {
        if (error != null) {
            // _resolve/cluster gives only the message of R's or the transport's exception, not its type.
            String type = SECURITY_TEXT.matcher(error).find() ? "security_exception" : "resolve_cluster_error";
            return new StepFailure(type, "remote cluster [" + alias + "]: " + Redactor.redact(error), null, true);
        }
        if (!remote.has("cluster_credentials")) {
            return new StepFailure("remote_credentials_missing", "remote cluster [" + alias
                    + "] is not connected and L holds no credentials for it: the keystore entry cluster.remote." + alias
                    + ".credentials is missing or not reloaded yet", null, true);
        }
        String address = remote.has("proxy_address") ? remote.path("proxy_address").asText() : remote.path("seeds").toString();
        int max = remote.has("max_proxy_socket_connections") ? remote.path("max_proxy_socket_connections").asInt()
                : remote.path("max_connections_per_cluster").asInt();
        return new StepFailure("remote_not_connected", "remote cluster [" + alias + "] is not connected (" + sockets
                + " of " + max + " connections open to " + address + ")", null, true);
    }

    private static boolean authenticatedButNotAuthorized(String error) {
        return error != null && error.contains("is unauthorized for");
    }

    static int sockets(JsonNode remote) {
        return remote.has("num_proxy_sockets_connected") ? remote.path("num_proxy_sockets_connected").asInt()
                : remote.path("num_nodes_connected").asInt();
    }

    static String errorText(JsonNode error) {
        if (error.isMissingNode() || error.isNull()) {
            return null;
        }
        if (error.isObject()) {
            return error.path("type").asText("error") + ": " + error.path("reason").asText();
        }
        return error.asText();
    }

    private static String resolveProbe(String alias) {
        return "GET /_resolve/cluster/" + alias + ":*";
    }

    private static StepFailure withProbe(StepFailure failure, String probe) {
        return new StepFailure(failure.type(), "probe " + probe + ": " + failure.reason(), failure.httpStatus(),
                failure.retryable());
    }

    static JsonNode json(ElasticAnswer answer, String what) {
        try {
            return EventCodec.mapper().readTree(answer.body() == null ? "" : answer.body());
        } catch (JsonProcessingException e) {
            throw ElasticCallException.of(new StepFailure("unexpected_response", what + " answered HTTP "
                    + answer.status() + " with a body that is not JSON", answer.status(), true));
        }
    }
}
