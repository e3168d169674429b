package io.crosslink.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Sets the consumer groups' configs on the broker before the services start ({@code ServiceWiring#consumerGroupConfigs}:
 * the consumer protocol's session and heartbeat, which its clients may not set).
 */
final class KafkaGroupConfigs {
    private KafkaGroupConfigs() {
    }

    static void apply(String bootstrapServers, Map<String, Map<String, String>> configs) {
        if (configs.isEmpty()) {
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        configs.forEach((group, values) -> {
            List<AlterConfigOp> ops = new ArrayList<>();
            values.forEach((key, value) -> ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
            changes.put(new ConfigResource(ConfigResource.Type.GROUP, group), ops);
        });
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
            BenchStack.say("Consumer group configs set on the broker: " + configs);
        } catch (ExecutionException e) {
            // e.g. below the broker's group.consumer.min.session.timeout.ms (45 s by default)
            throw new IllegalStateException("the broker refused the consumer group configs " + configs + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
