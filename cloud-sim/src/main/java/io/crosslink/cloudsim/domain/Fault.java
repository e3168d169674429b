package io.crosslink.cloudsim.domain;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** An injected fault with its counters; safe to claim from many threads at once. */
public final class Fault {
    private final String id;
    private final FaultSpec spec;
    /** Null when unlimited. */
    private final AtomicInteger remaining;
    private final AtomicLong hits = new AtomicLong();

    public Fault(String id, FaultSpec spec) {
        this.id = id;
        this.spec = spec;
        this.remaining = spec.times() == null ? null : new AtomicInteger(spec.times());
    }

    public String id() {
        return id;
    }

    public FaultSpec spec() {
        return spec;
    }

    public long hits() {
        return hits.get();
    }

    /** Null when unlimited. */
    public Integer remaining() {
        return remaining == null ? null : remaining.get();
    }

    public boolean exhausted() {
        return remaining != null && remaining.get() <= 0;
    }

    /** Takes one of the remaining applications; false once {@code times} are used up (exactly N claims succeed). */
    public boolean claim() {
        if (remaining != null) {
            int left;
            do {
                left = remaining.get();
                if (left <= 0) {
                    return false;
                }
            } while (!remaining.compareAndSet(left, left - 1));
        }
        hits.incrementAndGet();
        return true;
    }
}
