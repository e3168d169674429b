package io.crosslink.verify.domain;

import io.crosslink.events.StepFailure;
import io.crosslink.runtime.secret.Redactor;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Why R refused a strong-identity connection (9.3+), told from the error {@code _resolve/cluster} reports on L. The
 * texts were seen on 9.5.4 (infra/elasticsearch/README.md, "Strong identity"):
 * <ul>
 * <li>the DN of L's signing certificate does not match the key's pattern: {@code DN from provided certificate [CN=…]
 * does not match API Key certificate identity pattern […]} — nothing on either side changes that, so it is
 * final;</li>
 * <li>L does not sign: {@code API key (type:[cross_cluster], id:[…]) requires certificate identity matching […], but
 * no certificate was provided} — L's signing settings missing or not applied yet;</li>
 * <li>R does not trust the CA of L's signing certificate: {@code Failed to verify cross cluster api key signature
 * certificate from […]} — R's {@code cluster.remote.signing.certificate_authorities} lacks it, or is not loaded yet.</li>
 * </ul>
 */
public enum StrongIdentityFailure {
    MISMATCH("certificate_identity_mismatch", Pattern.compile("does not match API Key certificate identity pattern"),
            "L's signing certificate is not the one R's key accepts", true),
    NOT_SIGNED("signing_certificate_missing",
            Pattern.compile("requires certificate identity matching .*but no certificate was provided"),
            "R's key requires a signed request and L sent none (L's cluster.remote.<alias>.signing.* settings)", false),
    SIGNER_NOT_TRUSTED("signing_certificate_untrusted",
            Pattern.compile("Failed to verify cross cluster api key signature certificate"),
            "R does not trust the CA of L's signing certificate (R's cluster.remote.signing.certificate_authorities)",
            false);

    private final String type;
    private final Pattern text;
    private final String explanation;
    private final boolean hopeless;

    StrongIdentityFailure(String type, Pattern text, String explanation, boolean hopeless) {
        this.type = type;
        this.text = text;
        this.explanation = explanation;
        this.hopeless = hopeless;
    }

    /** The strong-identity cause Elasticsearch's error names; empty for any other error. */
    public static Optional<StrongIdentityFailure> of(String error) {
        if (error == null) {
            return Optional.empty();
        }
        for (StrongIdentityFailure cause : values()) {
            if (cause.text.matcher(error).find()) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }

    public String type() {
        return type;
    }

    /** Whether no retry can help: the same signer meets the same pattern. */
    public boolean hopeless() {
        return hopeless;
    }

    /** The failure for {@code alias}: the cause in words, then what Elasticsearch said (redacted). */
    public StepFailure failure(String alias, String elasticsearchSaid) {
        return new StepFailure(type, "remote cluster [" + alias + "]: " + explanation + ": "
                + Redactor.redact(elasticsearchSaid), null, !hopeless);
    }
}
