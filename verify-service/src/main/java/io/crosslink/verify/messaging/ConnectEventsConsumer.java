package io.crosslink.verify.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.messaging.IncomingEvents;
import io.crosslink.verify.service.VerificationStep;
import io.crosslink.verify.service.VerificationWorker;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code connect-events}: ConnectionRequested is remembered, RemoteConnected starts a verification,
 * CompensationStarted cancels it; all are keyed by connection id on one topic, so the request always comes first.
 * Other events are someone else's.
 * A record that is not a readable event fails here and goes to {@code connect-events.dlq}.
 */
@ApplicationScoped
public class ConnectEventsConsumer {
    private final VerificationStep step;
    private final VerificationWorker worker;

    public ConnectEventsConsumer(VerificationStep step, VerificationWorker worker) {
        this.step = step;
        this.worker = worker;
    }

    @Incoming("connect-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        ConnectionEvent event = IncomingEvents.decode(record);
        if (event instanceof ConnectionRequested requested) {
            step.onRequested(requested);
        } else if (event instanceof RemoteConnected connected) {
            step.onRemoteConnected(connected); // committed on return
            worker.runSoon();
        } else if (event instanceof CompensationStarted started) {
            step.onCompensationStarted(started);
        }
    }
}
