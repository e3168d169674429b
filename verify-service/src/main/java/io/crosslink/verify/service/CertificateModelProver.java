package io.crosslink.verify.service;

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
import io.crosslink.verify.domain.CertificateFailureCause;
import io.crosslink.verify.domain.ProbePlan.CertificateProbe;
import io.crosslink.verify.domain.ProbeTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One attempt in the certificate model (TLS trust both ways, no key), as the configured user of L:
 * <ol>
 * <li>{@code GET /_resolve/cluster/<alias>:*} connects actively: Elasticsearch reloads trusted CAs and trust
 * restrictions from files, but never retries a connection that already failed, so only a new attempt picks up
 * trust written after the first one. Its per-cluster {@code error}, when there is one, is the cause.</li>
 * <li>{@code GET /<alias>:*}{@code /_search?size=0} proves it: R must have answered, i.e. its cluster is
 * {@code successful} (or {@code partial}) in {@code _clusters}. With {@code skip_unavailable: true} a remote that
 * could not be reached is {@code skipped} in a 200: a failure. It runs even when {@code _resolve/cluster} said not
 * connected: it is one more connection attempt, and with {@code skip_unavailable: false} its error chain is the only
 * place Elasticsearch names the TLS cause ({@link CertificateFailureCause}).</li>
 * <li>{@code GET /_remote/info} only for the open sockets reported with the proof. Not a proof itself: it can say
 * connected from a resumed TLS session, and in this model it shows no {@code cluster_credentials}.</li>
 * </ol>
 */
class CertificateModelProver {
    private final ElasticsearchClient elasticsearch;

    CertificateModelProver(ElasticsearchClient elasticsearch) {
        this.elasticsearch = elasticsearch;
    }

    AttemptResult prove(ProbeTarget target) {
        String alias = target.alias();
        ElasticAnswer resolveAnswer = elasticsearch.resolveCluster(target.deploymentId(), target.localVersion(), alias + ":*");
        if (!resolveAnswer.ok()) {
            return ConnectionProver.refusedByLocal(resolveAnswer);
        }
        JsonNode resolved = ConnectionProver.json(resolveAnswer, "_resolve/cluster").path(alias);
        if (!resolved.isObject()) {
            return Unproven.retry(new StepFailure("no_such_remote_cluster", "L has no remote cluster [" + alias
                    + "] (_resolve/cluster does not list it)", null, true));
        }
        String error = ConnectionProver.errorText(resolved.path("error"));
        if (error != null) {
            return Unproven.retry(cause(alias, "_resolve/cluster: " + error, List.of(error), null, null));
        }
        return search(target);
    }

    private AttemptResult search(ProbeTarget target) {
        String alias = target.alias();
        String path = "/" + alias + ":" + CertificateProbe.PATTERN + "/_search?size=0";
        String probe = "GET " + path;
        ElasticAnswer answer;
        try {
            answer = elasticsearch.search(target.deploymentId(), alias + ":" + CertificateProbe.PATTERN);
        } catch (ElasticCallException e) {
            // A 500 outlasting the client's retries is still an answer: skip_unavailable=false puts the cause in it.
            answer = e.answer().orElseThrow(() -> e);
        }
        if (!answer.ok()) {
            return refused(alias, probe, answer);
        }
        JsonNode body = ConnectionProver.json(answer, "the probe search");
        JsonNode clusters = body.path("_clusters");
        JsonNode details = clusters.path("details").path(alias);
        String status = details.path("status").asText("");
        boolean answered = details.isObject() ? status.equals("successful") || status.equals("partial")
                : clusters.path("successful").asInt(0) > 0 && clusters.path("skipped").asInt(0) == 0;
        if (!answered) {
            List<String> texts = new ArrayList<>();
            for (JsonNode failure : details.path("failures")) {
                collectReasons(failure.path("reason"), texts);
            }
            String said = probe + " " + (status.isEmpty() ? "did not reach" : status) + " the remote cluster"
                    + (texts.isEmpty() ? "" : ": " + texts.get(0));
            String type = details.path("failures").path(0).path("reason").path("type").asText("");
            return Unproven.retry(cause(alias, said, texts, type, answer.status()));
        }
        JsonNode total = body.path("hits").path("total");
        long hits = total.isNumber() ? total.asLong() : total.path("value").asLong(0);
        return new Proven(probe, hits, sockets(target));
    }

    /** The search itself failed (skip_unavailable=false makes an unreachable remote a 500 with the cause inside). */
    private static AttemptResult refused(String alias, String probe, ElasticAnswer answer) {
        if (answer.status() == 401) {
            return ConnectionProver.refusedByLocal(answer);
        }
        JsonNode error = readQuietly(answer.body()).path("error");
        if (!error.isObject()) {
            StepFailure failure = ElasticErrors.fromResponse(answer.status(), answer.body());
            return Unproven.retry(new StepFailure(failure.type(), "probe " + probe + ": " + failure.reason(),
                    failure.httpStatus(), true));
        }
        List<String> texts = new ArrayList<>();
        collectReasons(error, texts);
        String type = error.path("type").asText("");
        String said = probe + ": " + type + ": " + error.path("reason").asText("")
                + CertificateFailureCause.named(texts).map(named -> " (" + named.text() + ")").orElse("");
        return Unproven.retry(cause(alias, said, texts, type, answer.status()));
    }

    /**
     * The certificate cause the texts name; else a connection failure when Elasticsearch's type says the remote is
     * not connected; else Elasticsearch's own type and words (e.g. a refusal on R), which are clearer as they are.
     */
    private static StepFailure cause(String alias, String said, List<String> texts, String elasticsearchType,
            Integer status) {
        var named = CertificateFailureCause.named(texts);
        if (named.isPresent()) {
            return named.get().cause().failure(alias, said, status);
        }
        if (elasticsearchType == null || elasticsearchType.isEmpty()
                || CertificateFailureCause.connectionType(elasticsearchType)) {
            return CertificateFailureCause.CONNECTION_FAILED.failure(alias, said, status);
        }
        return new StepFailure(elasticsearchType, "remote cluster [" + alias + "]: " + Redactor.redact(said), status,
                true);
    }

    /** Open sockets for the report; informational, so a failing {@code _remote/info} does not undo the proof. */
    private int sockets(ProbeTarget target) {
        try {
            ElasticAnswer info = elasticsearch.remoteInfo(target.deploymentId());
            return info.ok() ? ConnectionProver.sockets(ConnectionProver.json(info, "_remote/info").path(target.alias()))
                    : 0;
        } catch (ElasticCallException e) {
            return 0;
        }
    }

    /** Every {@code type: reason} of an Elasticsearch error tree (caused_by, suppressed, root_cause), outermost first. */
    static void collectReasons(JsonNode node, List<String> texts) {
        if (node.isArray()) {
            node.forEach(element -> collectReasons(element, texts));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (node.has("reason") && node.path("reason").isTextual()) {
            texts.add(node.path("type").asText("error") + ": " + node.path("reason").asText());
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (field.getValue().isContainerNode()) {
                collectReasons(field.getValue(), texts);
            }
        }
    }

    private static JsonNode readQuietly(String body) {
        try {
            return EventCodec.mapper().readTree(body == null ? "" : body);
        } catch (IOException e) {
            return EventCodec.mapper().missingNode();
        }
    }
}
