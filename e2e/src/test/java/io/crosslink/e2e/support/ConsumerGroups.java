package io.crosslink.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The services' consumer groups as the broker's group coordinator sees them: who (which instance, by the client id
 * prefix {@code ServiceWiring} gives each instance) holds which partitions.
 */
public final class ConsumerGroups implements AutoCloseable {
    /** Topic, then partition. */
    public static final java.util.Comparator<TopicPartition> PARTITION_ORDER = java.util.Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);
    private final Admin admin;

    public ConsumerGroups(String bootstrapServers) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"));
    }

    /** One member: its client id (the instance's prefix first) and the partitions it holds now. */
    public record Member(String clientId, Set<TopicPartition> partitions) {
    }

    /** A group at one moment: its state (e.g. STABLE) and members. */
    public record Group(String id, GroupState state, String type, List<Member> members) {
        /** Every partition held by a member whose client id starts with {@code prefix} (one instance's). */
        public Set<TopicPartition> heldBy(String prefix) {
            Set<TopicPartition> held = new TreeSet<>(PARTITION_ORDER);
            members.stream().filter(m -> m.clientId().startsWith(prefix)).forEach(m -> held.addAll(m.partitions()));
            return held;
        }

        public boolean hasMemberOf(String prefix) {
            return members.stream().anyMatch(m -> m.clientId().startsWith(prefix));
        }

        /** Every partition some member holds. */
        public Set<TopicPartition> held() {
            return heldBy("");
        }

        /** The topics its members subscribe to (those of the partitions they hold). */
        public Set<String> topics() {
            Set<String> topics = new TreeSet<>();
            members.forEach(m -> m.partitions().forEach(p -> topics.add(p.topic())));
            return topics;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(id).append(' ').append(type).append(' ').append(state).append(':');
            members.stream().sorted(java.util.Comparator.comparing(Member::clientId)).forEach(m -> text.append(' ')
                    .append(m.clientId()).append('=').append(new TreeSet<>(m.partitions().stream().map(Object::toString).toList())));
            return text.toString();
        }
    }

    /** The groups now. */
    public Map<String, Group> describe(Collection<String> groupIds) {
        Map<String, Group> groups = new TreeMap<>();
        get(admin.describeConsumerGroups(groupIds).all()).forEach((id, description) -> groups.put(id, group(description)));
        return groups;
    }

    private static Group group(ConsumerGroupDescription description) {
        List<Member> members = new ArrayList<>();
        description.members().forEach(member -> members.add(new Member(member.clientId(),
                Set.copyOf(member.assignment().topicPartitions()))));
        return new Group(description.groupId(), description.groupState(), String.valueOf(description.type()), members);
    }

    /**
     * Sets group configs on the broker ({@code consumer.session.timeout.ms} … of the consumer protocol); the broker
     * refuses what its {@code group.consumer.min.*} bounds do not allow, and the error says so.
     */
    public void configure(Map<String, Map<String, String>> configs) {
        if (configs.isEmpty()) {
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new TreeMap<>(java.util.Comparator.comparing(ConfigResource::name));
        configs.forEach((group, values) -> {
            List<AlterConfigOp> ops = new ArrayList<>();
            values.forEach((key, value) -> ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
            changes.put(new ConfigResource(ConfigResource.Type.GROUP, group), ops);
        });
        get(admin.incrementalAlterConfigs(changes).all());
    }

    /**
     * Waits until every group is STABLE and each of its instances (client id prefixes, per group) holds at least one
     * partition of every topic the group reads: all instances take part. Returns the groups then.
     */
    public Map<String, Group> awaitShared(Map<String, List<String>> instancesPerGroup, Duration timeout) {
        StringBuilder last = new StringBuilder("nothing yet");
        return Poll.until("every group shared by its instances " + instancesPerGroup, timeout, () -> {
            Map<String, Group> groups = describe(instancesPerGroup.keySet());
            last.setLength(0);
            last.append(groups.values());
            for (Group group : groups.values()) {
                if (group.state() != GroupState.STABLE || group.topics().isEmpty()) {
                    return java.util.Optional.empty();
                }
                for (String topic : group.topics()) {
                    for (String prefix : instancesPerGroup.get(group.id())) {
                        if (group.heldBy(prefix).stream().noneMatch(p -> p.topic().equals(topic))) {
                            return java.util.Optional.empty();
                        }
                    }
                }
            }
            return java.util.Optional.of(groups);
        }, last::toString);
    }

    /**
     * Polls (every 100 ms) until the group is STABLE, has no member of the instance {@code deadPrefix} left and its
     * live members hold every partition of {@code partitions}: the dead instance's partitions are taken over. Returns
     * the moment ({@link System#nanoTime()}) that was first seen, and the group then.
     */
    public Takeover awaitTakeover(String groupId, String deadPrefix, Set<TopicPartition> partitions, Duration timeout) {
        StringBuilder last = new StringBuilder("nothing yet");
        return Poll.until(groupId + " to take over the partitions of " + deadPrefix, timeout, () -> {
            long seen = System.nanoTime();
            Group group = describe(List.of(groupId)).get(groupId);
            last.setLength(0);
            last.append(group);
            boolean takenOver = group.state() == GroupState.STABLE && !group.hasMemberOf(deadPrefix)
                    && group.held().containsAll(partitions);
            return takenOver ? java.util.Optional.of(new Takeover(seen, group)) : java.util.Optional.empty();
        }, last::toString, Duration.ofMillis(100));
    }

    /** When a takeover was first seen, and the group then. */
    public record Takeover(long seenAtNanos, Group group) {
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
