package io.crosslink.runtime.work;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The limits work runs under, in one instance: at most {@code total} items at once, and at most
 * {@code perDeployment} of them calling any one deployment. So a deployment that answers slowly (or never) ties up
 * at most {@code perDeployment} workers and every other deployment keeps its share. Permits are taken in sorted
 * order, all or none, and only by the dispatcher thread; released by workers. Not a lock: nothing waits on it.
 */
final class DeploymentPermits {
    private final int total;
    private final int perDeployment;
    private final Map<String, Integer> inUse = new HashMap<>();
    private int running;

    DeploymentPermits(int total, int perDeployment) {
        if (total < 1 || perDeployment < 1) {
            throw new IllegalArgumentException("work limits must be at least 1: total " + total + ", per deployment "
                    + perDeployment);
        }
        this.total = total;
        this.perDeployment = perDeployment;
    }

    synchronized boolean full() {
        return running >= total;
    }

    /** Takes one permit for each deployment and one worker, or nothing. */
    synchronized boolean tryAcquire(SortedSet<String> deployments) {
        if (running >= total) {
            return false;
        }
        List<String> taken = new ArrayList<>();
        for (String deployment : deployments) {
            int used = inUse.getOrDefault(deployment, 0);
            if (used >= perDeployment) {
                taken.forEach(this::releaseOne);
                return false;
            }
            inUse.put(deployment, used + 1);
            taken.add(deployment);
        }
        running++;
        return true;
    }

    synchronized void release(SortedSet<String> deployments) {
        deployments.forEach(this::releaseOne);
        running--;
    }

    synchronized int inUse(String deployment) {
        return inUse.getOrDefault(deployment, 0);
    }

    synchronized int running() {
        return running;
    }

    private void releaseOne(String deployment) {
        inUse.computeIfPresent(deployment, (key, used) -> used <= 1 ? null : used - 1);
    }
}
