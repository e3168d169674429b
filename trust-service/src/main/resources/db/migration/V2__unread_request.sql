-- trust-service: connections whose ConnectionRequested was never read here (dead-lettered on connect-events), known
-- from their undo chain, so the undo is answered in the model CompensationStarted names (entity UnreadRequest).
-- waiting_trigger: an undo trigger that came before CompensationStarted, as JSON.

create table unread_request (
    compensation_seen_at timestamp(6) with time zone,
    created_at timestamp(6) with time zone not null,
    updated_at timestamp(6) with time zone not null,
    security_model varchar(20) check (security_model in ('API_KEY','TLS_CERTIFICATE')),
    connection_id varchar(64) not null,
    waiting_trigger text,
    primary key (connection_id)
);
