-- Strong identity (9.3+) as ConnectionRequested carried it (the key's pattern, L's signing files, R's CA path), so the
-- registration, the removal and the leftovers use what the saga started with. Null without strong identity.
alter table connections add column strong_identity_json text;
