package io.crosslink.deploy;

import java.time.Duration;

/**
 * How long the saga may take, given to the services of one stack; a null field keeps the services' own default
 * (saga deadline 5 min, verification deadline 60 s, Kafka's 45 s consumer session).
 *
 * @param sagaDeadline connect-service's {@code crosslink.saga.deadline}: compensation starts when a saga is not
 *     verified by then. It must exceed a normal saga under load and verify-service's deadline.
 * @param verifyDeadline verify-service's {@code crosslink.verify.deadline}: how long it tries to prove a connection.
 * @param kafkaSessionTimeout every consumer's {@code session.timeout.ms}: how soon a killed service's partitions
 *     go to its restarted instance (the group waits for the dead member's session to expire).
 */
public record SagaTimings(Duration sagaDeadline, Duration verifyDeadline, Duration kafkaSessionTimeout) {
    /** The services' defaults: what the local run uses. */
    public static final SagaTimings SERVICE_DEFAULTS = new SagaTimings(null, null, null);

    public SagaTimings {
        if (sagaDeadline != null && verifyDeadline != null && sagaDeadline.compareTo(verifyDeadline) <= 0) {
            throw new IllegalArgumentException("the saga deadline " + sagaDeadline + " must exceed the verification deadline "
                    + verifyDeadline + ", or every slow verification is compensated instead of failed");
        }
    }

    /** As Quarkus reads a duration: {@code 40s}, {@code 1500ms}. */
    static String quarkusDuration(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
