-- The W3C traceparent of the transaction that wrote an outbox row or queued a work item (saga-runtime's
-- OutboxMessage.traceparent, WorkItem.traceparent): the relay sends it as the record's traceparent header, the work
-- dispatcher runs the item in a span of that trace. Null for rows written before, or with nothing traced.
alter table outbox add column traceparent varchar(128);
alter table work_item add column traceparent varchar(128);
