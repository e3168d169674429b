package io.crosslink.runtime.metrics;

/**
 * Gauges whose values are read from the service's database (a CDI bean). {@link DatabaseGauges} calls
 * {@link #refresh()} every {@code crosslink.metrics.refresh-interval}, so a Prometheus scrape only reads numbers held
 * in memory and never runs a query. Register the meters when the bean is made, so they are in {@code /q/metrics}
 * before the first refresh.
 */
public interface DatabaseGauge {

    /** Reads the current values; runs in a transaction of its own, on the refresher's thread. */
    void refresh();
}
