package io.crosslink.runtime.work;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One unit of durable work: what an event asked a service to do on Elastic, stored by the consumer in the
 * transaction that records the event (inbox), run later by {@link WorkDispatcher}. A running item holds a lease
 * its instance renews; a crashed instance's lease runs out and any instance takes the item up again.
 */
@Entity
@Table(name = "work_item", indexes = {
        @Index(name = "ix_work_item_due", columnList = "state, due_at"),
        @Index(name = "ix_work_item_connection", columnList = "connection_id, state")})
public class WorkItem extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The handler that runs it ({@link WorkHandler#kind()}). */
    @Column(nullable = false, length = 64)
    public String kind;

    /** Items of one connection never run at the same time, in this instance or another. */
    @Column(name = "connection_id", nullable = false, length = 64)
    public String connectionId;

    /** The deployments the item calls, sorted, comma-separated: it runs only with a permit for each. */
    @Column(nullable = false, length = 1000)
    public String deployments;

    /** What the handler needs, as the handler wrote it (usually the event that asked for the work). */
    @Column(name = "payload_type", length = 200)
    public String payloadType;

    @Column(columnDefinition = "text")
    public String payload;

    /** Where a parked item got to (a plan wait's deadline, say), written by the handler when it parks. */
    @Column(columnDefinition = "text")
    public String checkpoint;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public WorkState state;

    /** How many times a handler ran it. */
    @Column(nullable = false)
    public int attempts;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    /** Set while an instance runs the item; renewed while it runs. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "lease_owner", length = 64)
    public String leaseOwner;

    /** The last thing that went wrong, redacted. */
    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The W3C traceparent of the transaction that queued the item: each run is a span of that trace. */
    @Column(length = 128)
    public String traceparent;
}
