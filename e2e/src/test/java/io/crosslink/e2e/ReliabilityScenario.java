package io.crosslink.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Elastic;
import io.crosslink.e2e.support.Events;
import io.crosslink.e2e.support.Faults;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.Poll;
import io.crosslink.events.ConnectionStatus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the reliability scenarios (issue #4) share: the stack, its clients, and hygiene between tests. Every test
 * starts and ends without faults and with all four services running, whatever it did (or where it failed).
 */
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReliabilityScenario {
    protected E2eStack stack;
    protected ConnectService connect;
    protected Elastic elastic;
    protected KafkaTopics kafka;
    protected Events events;
    protected Faults faults;

    @BeforeAll
    void connectTo(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        this.stack = stack;
        connect = new ConnectService(stack.connectUrl());
        elastic = new Elastic(stack);
        kafka = new KafkaTopics(stack.kafkaBootstrapServers());
        events = new Events(kafka);
        faults = new Faults(stack.cloudApiUrl());
    }

    @BeforeEach
    void noFaults() {
        faults.clear();
    }

    @AfterEach
    void clearFaultsAndReviveServices() {
        faults.clear();
        for (CrosslinkService service : CrosslinkService.values()) {
            stack.ensureRunning(service);
        }
    }

    /** Cleanup after a failure: a connection still VERIFIED or in flight is disconnected, so later tests start clean. */
    protected void disconnectIfStillThere(String id) {
        try {
            ConnectionStatus status = ConnectionStatus.valueOf(connect.document(id).path("status").asText());
            if (status == ConnectionStatus.VERIFIED || !status.terminal()) {
                connect.delete(id);
                Poll.until("connection " + id + " to end", () -> {
                    ConnectionStatus now = ConnectionStatus.valueOf(connect.document(id).path("status").asText());
                    return now.terminal() && now != ConnectionStatus.VERIFIED ? Optional.of(now) : Optional.empty();
                }, () -> connect.document(id).toString());
            }
        } catch (RuntimeException | AssertionError e) {
            System.err.println("cleanup of connection " + id + " failed: " + e);
        }
    }

    static double seconds(long fromNanos) {
        return (System.nanoTime() - fromNanos) / 1e9;
    }

    static Duration since(long fromNanos) {
        return Duration.ofNanos(System.nanoTime() - fromNanos);
    }
}
