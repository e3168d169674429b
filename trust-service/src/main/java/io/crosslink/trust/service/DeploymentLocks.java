package io.crosslink.trust.service;

import io.crosslink.events.DeploymentInfo;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per deployment, inside this process: a trust read-modify-write (read, record the edit, PUT) of one
 * saga never interleaves with another saga's on the same deployment, nor with an undo, which would otherwise read
 * the trust between a write being recorded and landing. Across processes the update's {@code version} check (409,
 * read again) is the guard. Held only around one read-modify-write, one deployment at a time: no deadlock.
 */
@ApplicationScoped
public class DeploymentLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public <T> T withLock(DeploymentInfo deployment, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(deployment.environment() + "/" + deployment.deploymentId(),
                key -> new ReentrantLock(true));
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
