package io.crosslink.verify.domain;

import io.crosslink.events.StepFailure;
import io.crosslink.runtime.secret.Redactor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Why a certificate-model connection did not come up, told from what Elasticsearch said on L. Checked on 8.19.21
 * with two nodes (separate CAs, trust restrictions as Elastic Cloud writes them, a fresh handshake per case):
 * <ul>
 * <li>L lacks R's CA: {@code PKIX path building failed: ... unable to find valid certification path to requested
 * target};</li>
 * <li>L's trust restrictions do not admit R: {@code Certificate for CN=node.<R cluster>... with fields
 * [subjectAltName.otherName.commonName] with values [...] does not match the trusted names [...]};</li>
 * <li>R refuses L (R lacks L's CA, or R's restrictions exclude L): L only sees {@code handshake failed because
 * connection reset}; the reason is in R's log.</li>
 * </ul>
 * Elasticsearch puts these texts only in the error chain of a cross-cluster search on a remote with
 * {@code skip_unavailable: false} (500 {@code no_seed_node_left_exception}, in {@code suppressed[].caused_by}).
 * With {@code skip_unavailable: true} (the default) {@code _resolve/cluster} says just {@code connected:false}, the
 * search skips the remote with {@code Unable to connect to [alias]}, and no other read-only API says more
 * ({@code _resolve/index}, {@code _field_caps}, {@code _count} tried): then the cause is
 * {@link #CONNECTION_FAILED}, with the likely certificate causes named in the reason.
 */
public enum CertificateFailureCause {
    /** Checked first: a restriction failure is also an SSLHandshakeException. */
    TRUST_RESTRICTION_MISMATCH("trust_restriction_mismatch",
            Pattern.compile("(?i)does not match the trusted names|trust restriction"),
            "L's trust restrictions do not admit R's certificate (L's trust allow-list does not name R's cluster)"),
    /** R closed the handshake: from L's side that is all there is to see. */
    CERTIFICATE_REFUSED_BY_REMOTE("certificate_refused_by_remote",
            Pattern.compile("(?i)handshake failed because connection reset|received fatal alert"),
            "R closed the TLS handshake: R does not trust L's certificate (L's CA is missing from R's trust, or R's"
                    + " trust restrictions do not admit L's cluster)"),
    CERTIFICATE_NOT_TRUSTED("certificate_not_trusted",
            Pattern.compile("(?i)PKIX|valid certification path|SSLHandshakeException|s_s_l_handshake_exception"
                    + "|certificate_exception|CertificateException|no subject alternative"),
            "L does not trust R's certificate (R's CA is missing from L's trust)"),
    CONNECTION_FAILED("remote_connection_failed", null, "L cannot connect to R");

    /** Elasticsearch's exception types that mean "no connection to the remote", whatever the reason. */
    private static final Set<String> CONNECTION_TYPES = Set.of("connect_transport_exception",
            "no_seed_node_left_exception", "node_not_connected_exception", "node_disconnected_exception",
            "transport_exception", "receive_timeout_transport_exception", "no_such_remote_cluster_exception");
    private static final String HINT = " (Elasticsearch names the TLS cause only for a remote with skip_unavailable"
            + " false, otherwise in the nodes' logs; in the certificate model it is usually a CA missing from one side's"
            + " trust or a trust restriction that does not admit the peer)";

    private final String type;
    private final Pattern text;
    private final String explanation;

    CertificateFailureCause(String type, Pattern text, String explanation) {
        this.type = type;
        this.text = text;
        this.explanation = explanation;
    }

    public String type() {
        return type;
    }

    /** The certificate cause one of Elasticsearch's texts names, with that text; empty when none does. */
    public static Optional<Named> named(List<String> texts) {
        for (CertificateFailureCause cause : values()) {
            if (cause.text == null) {
                continue;
            }
            for (String candidate : texts) {
                if (candidate != null && cause.text.matcher(candidate).find()) {
                    return Optional.of(new Named(cause, candidate));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether Elasticsearch's exception type says the remote is not connected (as opposed to e.g. a refusal). */
    public static boolean connectionType(String elasticsearchType) {
        return CONNECTION_TYPES.contains(elasticsearchType);
    }

    /**
     * The failure of a connection to {@code alias}: this cause in words, then what Elasticsearch said (redacted);
     * a generic connection failure also says where the certificate cause would be found. Retryable: trust may be
     * reloaded by the next attempt.
     */
    public StepFailure failure(String alias, String elasticsearchSaid, Integer httpStatus) {
        String reason = "remote cluster [" + alias + "]: " + explanation + ": " + Redactor.redact(elasticsearchSaid)
                + (this == CONNECTION_FAILED ? HINT : "");
        return new StepFailure(type, reason, httpStatus, true);
    }

    /** A cause and the text of Elasticsearch's that names it. */
    public record Named(CertificateFailureCause cause, String text) {
    }
}
