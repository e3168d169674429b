package io.crosslink.trust.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of keystore changes, per Elasticsearch resource: one PATCH at a time per keystore, carrying every change
 * that came while the one before was in flight. Each PATCH is a keystore change the platform applies and a reload of
 * the nodes' secure settings (cloud-sim: one reload per node at a time), so a burst of connections to one deployment
 * costs a few reloads instead of one each: at capacity the saga was bounded by its per-deployment permits, each
 * holding one change, while the direct calls' changes queued up and were picked up together (deploy/bench).
 *
 * <p>A caller waits for the PATCH that carries its change, as long as it would have waited for its own. A PATCH of
 * several changes that fails is not judged for all of them: each is then sent alone, in order and before anything
 * later, so every caller gets the answer to its own change, never one quoting another connection's names. Two changes
 * of one setting never share a PATCH and leave in the order they came.
 */
final class KeystoreBatches {
    /** The most changes one PATCH carries. */
    static final int MAX_BATCH = 50;

    /** A change of one entry: {@code value} to write, or null to remove the entry. */
    record Change(String settingName, String value) {
        /** Never the value: it is a credential. */
        @Override
        public String toString() {
            return "Change[" + settingName + (value == null ? ", remove]" : ", write]");
        }
    }

    /** Sends the changes in one PATCH; throws what the answer means. */
    @FunctionalInterface
    interface Sender {
        void send(DeploymentResource resource, List<Change> changes);
    }

    private final Sender sender;
    private final Map<DeploymentResource, Lane> lanes = new ConcurrentHashMap<>();

    KeystoreBatches(Sender sender) {
        this.sender = sender;
    }

    /** Applies the change in the next PATCH of its keystore; returns once it was answered, throws its failure. */
    void apply(DeploymentResource resource, Change change) {
        Lane lane = lanes.computeIfAbsent(resource, r -> new Lane());
        Waiting mine = new Waiting(change);
        lane.add(mine);
        lane.sending.lock();
        try {
            while (!mine.answered) {
                send(resource, lane.takeBatch());
            }
        } finally {
            lane.sending.unlock();
        }
        if (mine.failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (mine.failure instanceof Error error) {
            throw error;
        }
    }

    /** Changes waiting for their PATCH (tests). */
    int waiting(DeploymentResource resource) {
        Lane lane = lanes.get(resource);
        return lane == null ? 0 : lane.size();
    }

    /** Sends the batch and answers every change in it, whatever happens; called holding the lane's turn. */
    private void send(DeploymentResource resource, List<Waiting> batch) {
        try {
            sender.send(resource, batch.stream().map(waiting -> waiting.change).toList());
            batch.forEach(waiting -> waiting.answered = true);
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).failure = e;
                batch.get(0).answered = true;
            } else {
                // Not judged for all: each change alone, in the order they came and before any later change, so
                // every caller gets the answer to its own change.
                batch.forEach(waiting -> send(resource, List.of(waiting)));
            }
        }
    }

    /**
     * A change and its answer. Answered only by the thread holding the lane's turn ({@code sending}), read by its
     * caller once it holds the turn itself: the lock orders the two, nothing else is needed.
     */
    private static final class Waiting {
        final Change change;
        boolean answered;
        Throwable failure;

        Waiting(Change change) {
            this.change = change;
        }
    }

    /** One keystore: who sends now, and the changes waiting, in the order they came. */
    private static final class Lane {
        final ReentrantLock sending = new ReentrantLock();
        private final Deque<Waiting> waiting = new ArrayDeque<>();

        synchronized void add(Waiting change) {
            waiting.addLast(change);
        }

        synchronized int size() {
            return waiting.size();
        }

        /** The oldest changes, up to the first that names a setting already in the batch. Never empty when called. */
        synchronized List<Waiting> takeBatch() {
            List<Waiting> batch = new ArrayList<>();
            Set<String> names = new HashSet<>();
            while (!waiting.isEmpty() && batch.size() < MAX_BATCH
                    && names.add(waiting.peekFirst().change.settingName())) {
                batch.add(waiting.pollFirst());
            }
            if (batch.isEmpty()) {
                // Unreachable: a caller whose change is not answered yet has it in the queue.
                throw new IllegalStateException("no keystore change waiting");
            }
            return batch;
        }
    }
}
