package io.crosslink.connect.support;

import io.crosslink.runtime.lock.NamedLock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** {@link NamedLock} for unit tests in one JVM (the service runs saga-runtime's advisory lock on PostgreSQL). */
public final class InJvmNamedLock implements NamedLock {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public <T> T holding(String name, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(name, ignored -> new ReentrantLock());
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
