package io.crosslink.connect.messaging;

import io.crosslink.connect.service.StatusBroadcast;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.EventCodec;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The live feed of the status page and of {@code GET /api/v1/connections/stream}: every document published on
 * {@code connection-status} from now on, handed to {@link StatusBroadcast}. Each instance reads the whole topic in a
 * consumer group of its own ({@code connect-service-live-<uuid>}, from the latest offset, nothing committed): a
 * stream open on any instance sees the changes every instance makes. Nothing here writes; a record that is not a
 * document is skipped (the topic's other readers are not this view's business).
 */
@ApplicationScoped
public class StatusFeedConsumer {
    public static final String LISTENER = "status-feed-listener";
    private static final Logger LOG = Logger.getLogger(StatusFeedConsumer.class);

    private final StatusBroadcast broadcast;

    public StatusFeedConsumer(StatusBroadcast broadcast) {
        this.broadcast = broadcast;
    }

    @Incoming("status-feed")
    public void onDocument(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return; // a tombstone: nothing to show
        }
        ConnectionDocument document;
        try {
            document = EventCodec.read(record.value(), ConnectionDocument.class);
        } catch (RuntimeException e) {
            LOG.debugf("connection-status record at %s-%d@%d is not a document: skipped", record.topic(),
                    record.partition(), record.offset());
            return;
        }
        broadcast.publish(document);
    }

    /** Tells the broadcast when the feed holds partitions, i.e. from when on no change is missed. */
    @ApplicationScoped
    @Identifier(LISTENER)
    public static class Assignment implements KafkaConsumerRebalanceListener {
        private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
        private final StatusBroadcast broadcast;

        public Assignment(StatusBroadcast broadcast) {
            this.broadcast = broadcast;
        }

        @Override
        public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            held.addAll(partitions);
            broadcast.feedAssigned(!held.isEmpty());
        }

        @Override
        public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
            broadcast.feedAssigned(!held.isEmpty());
        }
    }
}
