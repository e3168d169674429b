package io.crosslink.runtime.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A record waiting to be published, written in the same transaction as the state change it announces
 * (transactional outbox). {@link OutboxRelay} publishes rows in {@code seq} order and deletes them.
 */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    /** The CloudEvents id: the event id, or a fresh id for status documents. */
    @Column(name = "message_id", nullable = false, unique = true, length = 64)
    public String messageId;

    @Column(nullable = false, length = 200)
    public String topic;

    /** Record key and CloudEvents subject: the connection id. */
    @Column(name = "record_key", nullable = false, length = 64)
    public String recordKey;

    @Column(name = "ce_type", nullable = false, length = 200)
    public String ceType;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The W3C traceparent of the transaction that wrote the row (null when none was traced): the relay sends it on. */
    @Column(length = 128)
    public String traceparent;
}
