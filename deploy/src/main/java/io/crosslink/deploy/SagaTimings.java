package io.crosslink.deploy;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the saga may take, given to the services of one stack; a null duration keeps the services' own default
 * (saga deadline 5 min, verification deadline 60 s, Kafka's 45 s consumer session).
 *
 * @param sagaDeadline connect-service's {@code crosslink.saga.deadline}: compensation starts when a saga is not
 *     verified by then. It must exceed a normal saga under load and verify-service's deadline.
 * @param verifyDeadline verify-service's {@code crosslink.verify.deadline}: how long it tries to prove a connection.
 * @param kafkaSessionTimeout every consumer's session: how soon a killed instance's partitions go to a live (or
 *     restarted) one (the group waits for the dead member's session to expire). With the classic protocol it is the
 *     client's {@code session.timeout.ms}; with the consumer protocol it is a group config on the broker
 *     ({@link ServiceWiring#consumerGroupConfigs()}), which the broker must allow.
 * @param groupProtocol the consumer group protocol of every service's channels.
 * @param undoDeadline every service's {@code crosslink.saga.undo-deadline}: how long one run of the undo chain may
 *     take; the undoing services retry until shortly before it (null: 15 min).
 */
public record SagaTimings(Duration sagaDeadline, Duration verifyDeadline, Duration kafkaSessionTimeout,
        KafkaGroupProtocol groupProtocol, Duration undoDeadline) {
    /** The services' defaults (with the stacks' default group protocol): what the local run uses. */
    public static final SagaTimings SERVICE_DEFAULTS = new SagaTimings(null, null, null);
    /** Kafka's default heartbeat interval of the classic protocol. */
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

    public SagaTimings {
        Objects.requireNonNull(groupProtocol, "groupProtocol");
        if (sagaDeadline != null && verifyDeadline != null && sagaDeadline.compareTo(verifyDeadline) <= 0) {
            throw new IllegalArgumentException("the saga deadline " + sagaDeadline + " must exceed the verification deadline "
                    + verifyDeadline + ", or every slow verification is compensated instead of failed");
        }
    }

    public SagaTimings(Duration sagaDeadline, Duration verifyDeadline, Duration kafkaSessionTimeout,
            KafkaGroupProtocol groupProtocol) {
        this(sagaDeadline, verifyDeadline, kafkaSessionTimeout, groupProtocol, null);
    }

    public SagaTimings withUndoDeadline(Duration deadline) {
        return new SagaTimings(sagaDeadline, verifyDeadline, kafkaSessionTimeout, groupProtocol, deadline);
    }

    /** With the default group protocol ({@link KafkaGroupProtocol#DEFAULT}). */
    public SagaTimings(Duration sagaDeadline, Duration verifyDeadline, Duration kafkaSessionTimeout) {
        this(sagaDeadline, verifyDeadline, kafkaSessionTimeout, KafkaGroupProtocol.DEFAULT);
    }

    public SagaTimings withGroupProtocol(KafkaGroupProtocol protocol) {
        return new SagaTimings(sagaDeadline, verifyDeadline, kafkaSessionTimeout, protocol, undoDeadline);
    }

    /**
     * The heartbeat interval that goes with {@link #kafkaSessionTimeout} where the stack must set it (the consumer
     * protocol's group config): the classic client's default of 3 s, at most a third of the session, so both protocols
     * are compared with the same heartbeats.
     */
    public Duration kafkaHeartbeatInterval() {
        if (kafkaSessionTimeout == null) {
            return null;
        }
        Duration third = kafkaSessionTimeout.dividedBy(3);
        return third.compareTo(DEFAULT_HEARTBEAT) < 0 ? third : DEFAULT_HEARTBEAT;
    }

    /** As Quarkus reads a duration: {@code 40s}, {@code 1500ms}. */
    static String quarkusDuration(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
