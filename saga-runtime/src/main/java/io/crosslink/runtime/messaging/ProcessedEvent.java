package io.crosslink.runtime.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An event this service has applied (inbox): written in the transaction that applied it. */
@Entity
@Table(name = "inbox")
public class ProcessedEvent extends PanacheEntityBase {
    @Id
    @Column(name = "event_id", length = 64)
    public String eventId;

    @Column(name = "ce_type", nullable = false, length = 200)
    public String ceType;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;
}
