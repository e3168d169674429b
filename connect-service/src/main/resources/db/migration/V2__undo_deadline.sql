-- When the connection's current undo chain started: the undo deadline (crosslink.saga.undo-deadline) counts from it.
alter table connections add column undo_started_at timestamp(6) with time zone;
create index ix_connections_undo_started_at on connections (undo_started_at) where undo_started_at is not null;
