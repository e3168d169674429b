-- #14: a connection-requests requestId is scoped per team as REST Idempotency-Keys are: kafka:<team>:<requestId>, and
-- kafka::<requestId> for no team. A key stored before (kafka:<requestId>, and its conflict keys kafka:<requestId>:<hash>)
-- belongs to no team: moved into that scope, so it can never be read as another team's requestId.
update connections set idempotency_key = 'kafka::' || substr(idempotency_key, 7) where idempotency_key like 'kafka:%';
