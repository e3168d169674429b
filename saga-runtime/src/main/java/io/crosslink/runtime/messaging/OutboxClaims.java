package io.crosslink.runtime.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * Which outbox rows a relay transaction may send: the oldest ones whose record key (the connection id) no other
 * instance is sending. A key is claimed with a transaction-level advisory lock, so with two instances of a service
 * one connection's events still leave in order: an instance that sends seq 3 of a connection holds its key until
 * Kafka acknowledged and the rows are deleted, and the other skips that connection's later rows (seq 5) meanwhile
 * instead of overtaking. Rows of other connections are shared out as before ({@code SKIP LOCKED}).
 */
@ApplicationScoped
public class OutboxClaims {
    /** First key of the advisory lock ("out1"): apart from the work mechanism's ("wrk1"). */
    static final int NAMESPACE = 0x6f757431;

    private final EntityManager em;

    public OutboxClaims(EntityManager em) {
        this.em = em;
    }

    /** Claims up to {@code limit} rows, in {@code seq} order, for the current transaction; released at its end. */
    @SuppressWarnings("unchecked")
    public List<OutboxMessage> claim(int limit) {
        return em.createNativeQuery("""
                select * from outbox
                where pg_try_advisory_xact_lock(:namespace, hashtext(record_key))
                order by seq
                limit :limit
                for update skip locked""", OutboxMessage.class)
                .setParameter("namespace", NAMESPACE)
                .setParameter("limit", limit)
                .getResultList();
    }
}
