package io.crosslink.verify.client;

import io.crosslink.events.StepFailure;
import io.crosslink.runtime.elastic.ElasticErrors;
import java.util.Optional;

/**
 * Elasticsearch could not be asked, or answered with a status worth asking again for (408, 429, 5xx): why,
 * redacted, whether asking again may help, and that last answer, if any. A 5xx can be a real answer: a
 * cross-cluster search with {@code skip_unavailable=false} answers 500 with the TLS cause in its error chain.
 */
public class ElasticCallException extends RuntimeException {
    private final transient StepFailure failure;
    private final transient ElasticAnswer answer;

    public ElasticCallException(StepFailure failure) {
        this(failure, null);
    }

    public ElasticCallException(StepFailure failure, ElasticAnswer answer) {
        super(failure.type() + ": " + failure.reason());
        this.failure = failure;
        this.answer = answer;
    }

    public static ElasticCallException fromException(Throwable error, String... secrets) {
        return new ElasticCallException(ElasticErrors.fromException(error, secrets));
    }

    public StepFailure failure() {
        return failure;
    }

    /** The answer Elasticsearch gave (status and body), when there was one. */
    public Optional<ElasticAnswer> answer() {
        return Optional.ofNullable(answer);
    }
}
