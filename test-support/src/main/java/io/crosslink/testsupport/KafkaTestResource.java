package io.crosslink.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real Kafka broker (KRaft, single node, own JVM) for Quarkus tests: one per test JVM, shared by all test
 * classes and profiles, started on first use (in the background as soon as Quarkus initialises its test
 * resources, so it starts in parallel with PostgreSQL) and stopped when the JVM exits. Supplies
 * {@code kafka.bootstrap.servers}. Needs infra/kafka-broker built ({@code ./mvnw -pl infra/kafka-broker package}).
 *
 * <pre>{@code @QuarkusTestResource(KafkaTestResource.class)}</pre>
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public void init(Map<String, String> initArgs) {
        SharedServers.call("prestartKafka", new Class<?>[0]);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> start() {
        return (Map<String, String>) SharedServers.call("kafka", new Class<?>[0]);
    }

    @Override
    public void stop() {
        // Shared by every test of this JVM: a shutdown hook stops it.
    }
}
