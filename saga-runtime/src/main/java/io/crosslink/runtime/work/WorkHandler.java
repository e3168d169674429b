package io.crosslink.runtime.work;

/**
 * Runs the work items of one kind; a CDI bean. {@link #run} is called on a worker thread, outside any
 * transaction, holding a permit for each deployment the item declared: it makes the Elastic calls, then commits
 * its outcome (state, outbox) in a transaction of its own. It may run again for the same item (a crash after
 * the commit, before the item was marked done), so it must find out what it already did and not do it twice.
 * An exception parks the item with the dispatcher's backoff; returning {@link WorkResult.Park} is how a handler
 * waits (backoff after a transient error, a pending plan) without holding a worker.
 */
public interface WorkHandler {

    /** The kind of the items it runs, unique within a service. */
    String kind();

    WorkResult run(Work work);
}
