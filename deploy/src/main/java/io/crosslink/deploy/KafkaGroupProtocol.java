package io.crosslink.deploy;

import java.util.Locale;

/**
 * How the instances of one service share its partitions: the Kafka consumer group protocol every channel uses. It
 * decides how soon a dead instance's partitions reach a live one, and who sets that time (see bench/README.md and
 * e2e/README.md, {@code ReplicasTest}, for the measured takeover).
 */
public enum KafkaGroupProtocol {
    /**
     * The classic protocol with the {@code CooperativeStickyAssignor}: a rebalance moves only the partitions that
     * change owner, the others keep being consumed. The session timeout is the client's ({@code session.timeout.ms},
     * allowed by the broker from {@code group.min.session.timeout.ms}, 6 s by default), so the services decide how
     * soon a dead instance's partitions move, whatever the broker's configuration.
     */
    CLASSIC_COOPERATIVE_STICKY("classic"),
    /**
     * KIP-848's protocol ({@code group.protocol=consumer}, on by default in Kafka 4 brokers): the broker assigns, no
     * group-wide barrier. The session timeout and the heartbeat interval are the broker's
     * ({@code group.consumer.session.timeout.ms}, 45 s, never below {@code group.consumer.min.session.timeout.ms}, 45 s
     * by default), or a group's own ({@code consumer.session.timeout.ms}, within the same bounds): the client may not
     * set them, nor an assignor.
     */
    CONSUMER("consumer");

    /** What the stacks (local run, e2e, bench) use unless told otherwise. */
    public static final KafkaGroupProtocol DEFAULT = CLASSIC_COOPERATIVE_STICKY;

    private final String option;

    KafkaGroupProtocol(String option) {
        this.option = option;
    }

    /** The name on command lines and in system properties: {@code classic} or {@code consumer}. */
    public String option() {
        return option;
    }

    /** {@code classic} or {@code consumer} (case-insensitive). */
    public static KafkaGroupProtocol parse(String option) {
        for (KafkaGroupProtocol protocol : values()) {
            if (protocol.option.equals(option.trim().toLowerCase(Locale.ROOT))) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("unknown Kafka group protocol " + option + ": classic or consumer");
    }
}
