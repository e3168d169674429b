package io.crosslink.runtime.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.IncomingInterceptor;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Counts the records each consumer sent to its dead-letter topic: {@code crosslink.dead.letters{topic}}, the topic
 * the record came from (it went to {@code <topic>.dlq}). A record is dead-lettered when its consumer nacks it (it
 * threw, after any retries) on a channel with {@code failure-strategy=dead-letter-queue}; it is counted once the
 * dead-letter topic took it. The counters of every such channel exist from the start, at 0.
 * <p>
 * An {@link IncomingInterceptor} without an {@code @Identifier} applies to every incoming channel that has none of
 * its own, and only one applies to a channel: a service that adds an interceptor must count dead letters there too.
 * Made at start (its counters are there before the first record) and kept although nothing injects it: Reactive
 * Messaging looks interceptors up by type.
 */
@ApplicationScoped
@Startup
@Unremovable
public class DeadLetterCounter implements IncomingInterceptor {
    static final String NAME = "crosslink.dead.letters";
    private static final Pattern STRATEGY = Pattern.compile("mp\\.messaging\\.incoming\\.(.+)\\.failure-strategy");

    private final Map<String, Counter> byTopic = new TreeMap<>();

    public DeadLetterCounter(MeterRegistry registry, Config config) {
        for (String property : config.getPropertyNames()) {
            Matcher matcher = STRATEGY.matcher(property);
            if (matcher.matches() && "dead-letter-queue".equals(config.getOptionalValue(property, String.class)
                    .orElse(""))) {
                String channel = matcher.group(1);
                String topic = config.getOptionalValue("mp.messaging.incoming." + channel + ".topic", String.class)
                        .orElse(channel);
                byTopic.put(topic, Counter.builder(NAME)
                        .description("Records a consumer could not take, sent to <topic>.dlq")
                        .tag("topic", topic)
                        .register(registry));
            }
        }
    }

    @Override
    public void onMessageAck(Message<?> message) {
        // taken: nothing to count
    }

    @Override
    public void onMessageNack(Message<?> message, Throwable failure) {
        message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> byTopic.get(metadata.getTopic()))
                .ifPresent(Counter::increment);
    }
}
