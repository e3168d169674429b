package io.crosslink.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;

/**
 * Runs one wave of connections, the same way for the baseline and the saga: closed loop (at most {@code concurrency}
 * in flight) or open loop (Poisson arrivals at {@code rate}/s, from the seed). Returns the wave's wall time in ms.
 */
final class Workload {
    private final int concurrency;
    private final double rate;
    private final long seed;

    Workload(int concurrency, double rate, long seed) {
        this.concurrency = concurrency;
        this.rate = rate;
        this.seed = seed;
    }

    long run(List<Integer> indexes, IntConsumer connection) throws InterruptedException {
        long begin = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(rate > 0 ? indexes.size() : Math.min(concurrency, indexes.size()));
        Semaphore slots = new Semaphore(rate > 0 ? Integer.MAX_VALUE : concurrency);
        Random arrivals = new Random(seed + indexes.get(0));
        long nextArrival = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int index : indexes) {
                if (rate > 0) {
                    long wait = nextArrival - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    nextArrival += (long) (-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
                }
                slots.acquire();
                futures.add(pool.submit(() -> {
                    try {
                        connection.accept(index);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    System.err.println("a connection failed: " + e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - begin) / 1_000_000;
    }
}
