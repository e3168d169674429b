-- key-service: what the key undo needs besides the flags (Flyway V2).
--
-- undo_chain_id, undo_chain_deadline: the run of the undo chain (UndoChain) of the latest undo request, so an undo
-- queued by a late ConnectionRequested or a late create answers that run and retries until its deadline.
-- request_unread: CompensationStarted was applied before any ConnectionRequested (both share the record key, so the
-- request was dead-lettered here): no key was ever created, and the key undo is answered at once.
alter table tracked_connection add column undo_chain_id varchar(64);
alter table tracked_connection add column undo_chain_deadline timestamp(6) with time zone;
alter table tracked_connection add column request_unread boolean not null default false;
