package io.crosslink.runtime.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the topics a service reads and writes before its channels start ({@code crosslink.kafka.topics},
 * compacted ones in {@code crosslink.kafka.compacted-topics}); existing topics are left as they are.
 * Where topics are managed elsewhere (Strimzi, Terraform), set {@code crosslink.kafka.create-topics=false}.
 */
@ApplicationScoped
public class TopicProvisioner {
    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "crosslink.kafka.create-topics", defaultValue = "true")
    boolean createTopics;

    @ConfigProperty(name = "crosslink.kafka.topics")
    Optional<List<String>> topics;

    @ConfigProperty(name = "crosslink.kafka.compacted-topics")
    Optional<List<String>> compactedTopics;

    @ConfigProperty(name = "crosslink.kafka.partitions", defaultValue = "3")
    int partitions;

    void provision(@Observes @Priority(1) StartupEvent event) {
        if (!createTopics) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            for (String topic : topics.orElse(List.of())) {
                create(admin, new NewTopic(topic, Optional.of(partitions), Optional.empty()));
            }
            for (String topic : compactedTopics.orElse(List.of())) {
                create(admin, new NewTopic(topic, Optional.of(partitions), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
        }
    }

    private static void create(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.infof("created topic %s", topic.name());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic.name(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topic " + topic.name() + " within 30 s", e);
        }
    }
}
