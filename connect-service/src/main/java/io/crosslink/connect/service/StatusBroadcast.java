package io.crosslink.connect.service;

import io.crosslink.events.ConnectionDocument;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fans the documents of the live feed out to every open stream, each through its caller's filter: a stream only ever
 * receives documents its caller may read (its team's, or every team's for an admin). Hot: a stream gets what is
 * published after it subscribed; the page reads the list first and then follows the stream.
 */
@ApplicationScoped
public class StatusBroadcast {
    /** Documents a slow reader may lag behind before its stream is ended (it reconnects and reads the list again). */
    static final int LAG_LIMIT = 1_000;

    private final BroadcastProcessor<ConnectionDocument> documents = BroadcastProcessor.create();
    private volatile boolean feedAssigned;

    /** Called from the feed's consumer thread, one document at a time. */
    public void publish(ConnectionDocument document) {
        documents.onNext(document);
    }

    /** The documents {@code caller} may read that match {@code filter}, from now on. */
    public Multi<ConnectionDocument> follow(Caller caller, StreamFilter filter) {
        return documents.onOverflow().buffer(LAG_LIMIT)
                .select().where(document -> caller.sees(document.team()) && filter.matches(document));
    }

    public void feedAssigned(boolean assigned) {
        feedAssigned = assigned;
    }

    /** Whether the feed holds partitions of connection-status (from then on it misses no change). */
    public boolean feedAssigned() {
        return feedAssigned;
    }
}
