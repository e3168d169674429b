package io.crosslink.trust.domain;

import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * A connection whose ConnectionRequested this service never read (its record dead-lettered on connect-events), known
 * from its undo chain: CompensationStarted came without a request read before it (the request comes first on the same
 * partition, so it was unreadable here) and names the security model. This service writes keystores and trust only
 * for a request it read, so it changed nothing, and its undo is answered at once in that model's terms. An undo
 * trigger that comes before CompensationStarted waits here for it ({@link #waitingTrigger}).
 */
@Entity
@Table(name = "unread_request")
public class UnreadRequest extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    /** When CompensationStarted was applied with no request read; null while only an undo trigger came. */
    @Column(name = "compensation_seen_at")
    public Instant compensationSeenAt;

    /** The model CompensationStarted named; null when it named none (written before it did). */
    @Enumerated(EnumType.STRING)
    @Column(name = "security_model", length = 20)
    public SecurityModel securityModel;

    /** An undo trigger ({@link UndoTrigger} as JSON) that came before CompensationStarted, answered once it comes. */
    @Column(name = "waiting_trigger", columnDefinition = "text")
    public String waitingTrigger;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean compensationSeen() {
        return compensationSeenAt != null;
    }

    /** CompensationStarted came (again: a repeated chain) naming {@code model}, or none. */
    public void compensationStarted(SecurityModel model, Instant at) {
        if (compensationSeenAt == null) {
            compensationSeenAt = at;
        }
        securityModel = model;
        touch();
    }

    /** The undo was asked before CompensationStarted came: it is answered then. */
    public void awaitCompensation(UndoTrigger trigger) {
        waitingTrigger = EventCodec.encode(trigger);
        touch();
    }

    /** The trigger waiting for CompensationStarted, if any, no longer waiting. */
    public Optional<UndoTrigger> takeWaitingTrigger() {
        Optional<UndoTrigger> waiting = Optional.ofNullable(waitingTrigger)
                .map(json -> EventCodec.read(json, UndoTrigger.class));
        waitingTrigger = null;
        touch();
        return waiting;
    }

    private void touch() {
        updatedAt = Instant.now();
        if (createdAt == null) {
            createdAt = updatedAt;
        }
    }
}
