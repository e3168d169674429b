package io.crosslink.runtime.work;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Chooses which due items run next: the deployments (their sorted sets, "lanes") take turns, one item per lane
 * per round, starting after the lane served last, so a deployment with a hundred items waiting does not starve
 * one with a single item. Within a lane, oldest due first. An item whose connection is running already, or whose
 * permits are not free, waits; the next item of its lane may go.
 */
final class FairPicker {
    private String lastLane = "";

    /** A due item, as much as choosing needs. */
    record Candidate(long id, String connectionId, SortedSet<String> deployments) {
        String lane() {
            return String.join(",", deployments);
        }
    }

    /**
     * Picks in turn; {@code start} takes the permits and claims the item (true when it now runs). Stops when the
     * permits are full or nothing more can go.
     */
    List<Candidate> pick(List<Candidate> dueOldestFirst, Set<String> busyConnections, DeploymentPermits permits,
            Predicate<Candidate> start) {
        TreeMap<String, List<Candidate>> lanes = new TreeMap<>();
        for (Candidate candidate : dueOldestFirst) {
            lanes.computeIfAbsent(candidate.lane(), lane -> new ArrayList<>()).add(candidate);
        }
        Map<String, List<Candidate>> turns = rotate(lanes);
        Set<String> busy = new TreeSet<>(busyConnections);
        List<Candidate> started = new ArrayList<>();
        boolean progress = true;
        while (progress && !permits.full()) {
            progress = false;
            for (Map.Entry<String, List<Candidate>> lane : turns.entrySet()) {
                if (permits.full()) {
                    break;
                }
                Candidate next = startOne(lane.getValue(), busy, start);
                if (next != null) {
                    started.add(next);
                    busy.add(next.connectionId());
                    lastLane = lane.getKey();
                    progress = true;
                }
            }
        }
        return started;
    }

    /** Starts the first item of the lane that can go now, removing what it tried. */
    private static Candidate startOne(List<Candidate> lane, Set<String> busy, Predicate<Candidate> start) {
        for (int i = 0; i < lane.size(); i++) {
            Candidate candidate = lane.get(i);
            if (busy.contains(candidate.connectionId())) {
                continue;
            }
            lane.remove(i);
            if (start.test(candidate)) {
                return candidate;
            }
            // No permit for its deployments (they are the lane's: the rest of the lane waits too), or lost the claim.
            return null;
        }
        return null;
    }

    /** The lanes in sorted order, beginning after the lane served last. */
    private Map<String, List<Candidate>> rotate(TreeMap<String, List<Candidate>> lanes) {
        Map<String, List<Candidate>> turns = new LinkedHashMap<>(lanes.tailMap(lastLane, false));
        turns.putAll(lanes.headMap(lastLane, true));
        return turns;
    }
}
