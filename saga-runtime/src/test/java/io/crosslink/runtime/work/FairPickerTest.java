package io.crosslink.runtime.work;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FairPickerTest {

    private static FairPicker.Candidate item(long id, String connection, String... deployments) {
        return new FairPicker.Candidate(id, connection, new TreeSet<>(List.of(deployments)));
    }

    private static List<Long> ids(List<FairPicker.Candidate> candidates) {
        return candidates.stream().map(FairPicker.Candidate::id).toList();
    }

    @Test
    void deploymentsTakeTurnsHoweverLongTheirQueue() {
        List<FairPicker.Candidate> due = new ArrayList<>();
        for (long id = 1; id <= 6; id++) {
            due.add(item(id, "busy-" + id, "ece/busy"));
        }
        due.add(item(7, "quiet", "ece/quiet"));
        DeploymentPermits permits = new DeploymentPermits(3, 3);
        List<FairPicker.Candidate> started = new FairPicker().pick(due, Set.of(), permits,
                candidate -> permits.tryAcquire(candidate.deployments()));
        assertEquals(List.of(1L, 7L, 2L), ids(started), "the quiet deployment's one item goes in the first round");
    }

    @Test
    void theNextPickStartsAfterTheLaneServedLast() {
        FairPicker picker = new FairPicker();
        DeploymentPermits one = new DeploymentPermits(1, 1);
        List<FairPicker.Candidate> due = List.of(item(1, "c1", "ece/a"), item(2, "c2", "ece/b"), item(3, "c3", "ece/c"));
        List<Long> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<FairPicker.Candidate> started = picker.pick(due, Set.of(), one, c -> one.tryAcquire(c.deployments()));
            order.addAll(ids(started));
            started.forEach(c -> one.release(c.deployments()));
        }
        assertEquals(List.of(1L, 2L, 3L, 1L), order);
    }

    @Test
    void aBusyConnectionWaitsAndTheNextItemOfItsLaneGoes() {
        List<FairPicker.Candidate> due = List.of(item(1, "running", "ece/a"), item(2, "other", "ece/a"));
        DeploymentPermits permits = new DeploymentPermits(4, 2);
        List<FairPicker.Candidate> started = new FairPicker().pick(due, Set.of("running"), permits,
                candidate -> permits.tryAcquire(candidate.deployments()));
        assertEquals(List.of(2L), ids(started));
    }

    @Test
    void oneConnectionRunsOneItemAtATime() {
        List<FairPicker.Candidate> due = List.of(item(1, "c", "ece/a"), item(2, "c", "ece/b"));
        DeploymentPermits permits = new DeploymentPermits(4, 2);
        List<FairPicker.Candidate> started = new FairPicker().pick(due, Set.of(), permits,
                candidate -> permits.tryAcquire(candidate.deployments()));
        assertEquals(List.of(1L), ids(started));
    }

    @Test
    void aFullDeploymentLeavesTheOthersTheirShare() {
        List<FairPicker.Candidate> due = new ArrayList<>();
        for (long id = 1; id <= 4; id++) {
            due.add(item(id, "slow-" + id, "ece/slow"));
        }
        for (long id = 5; id <= 8; id++) {
            due.add(item(id, "fast-" + id, "ess/fast"));
        }
        DeploymentPermits permits = new DeploymentPermits(8, 2);
        List<FairPicker.Candidate> started = new FairPicker().pick(due, Set.of(), permits,
                candidate -> permits.tryAcquire(candidate.deployments()));
        assertEquals(4, started.size());
        assertEquals(2, permits.inUse("ece/slow"));
        assertEquals(2, permits.inUse("ess/fast"));
    }
}
