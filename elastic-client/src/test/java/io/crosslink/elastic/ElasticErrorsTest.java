package io.crosslink.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ElasticErrorsTest {

    @Test
    void elasticsearchErrorsGiveTypeReasonAndCause() {
        StepFailure failure = ElasticErrors.fromResponse(400, """
                {"error":{"root_cause":[{"type":"action_request_validation_exception","reason":"x"}],
                "type":"illegal_argument_exception","reason":"invalid access",
                "caused_by":{"type":"parse_exception","reason":"unknown field [foo]"}},"status":400}""");
        assertEquals("illegal_argument_exception", failure.type());
        assertEquals("invalid access (caused by parse_exception: unknown field [foo])", failure.reason());
        assertEquals(400, failure.httpStatus());
        assertFalse(failure.retryable());
    }

    @Test
    void cloudApiErrorsGiveCodeAndMessageWithSecretsRedacted() {
        StepFailure failure = ElasticErrors.fromResponse(404, """
                {"errors":[{"code":"deployments.deployment_not_found","message":"No deployment [abc] with value s3cr3t","fields":[]}]}""",
                "s3cr3t");
        assertEquals("deployments.deployment_not_found", failure.type());
        assertEquals("No deployment [abc] with value [redacted]", failure.reason());
    }

    @Test
    void transientStatusesAreRetryable() {
        assertTrue(ElasticErrors.fromResponse(503, "").retryable());
        assertTrue(ElasticErrors.fromResponse(429, "{}").retryable());
        assertTrue(ElasticErrors.fromResponse(408, null).retryable());
        assertFalse(ElasticErrors.fromResponse(401, "not json").retryable());
        assertEquals("HTTP 503", ElasticErrors.fromResponse(503, "").reason());
        assertEquals("not json", ElasticErrors.fromResponse(401, "not json").reason());
    }

    @Test
    void clientExceptionsAreClassified() {
        StepFailure refused = ElasticErrors.fromException(new CompletionException(new ConnectException("Connection refused")));
        assertEquals("connection_refused", refused.type());
        assertTrue(refused.retryable());
        assertNull(refused.httpStatus());
        assertEquals("timeout", ElasticErrors.fromException(new TimeoutException("request timed out")).type());
        assertFalse(ElasticErrors.fromException(new IllegalStateException("bug")).retryable());
    }

    @Test
    void longAnswersAreShortened() {
        assertTrue(ElasticErrors.fromResponse(500, "server error ".repeat(500)).reason().length() < 1100);
    }
}
