-- #14: every connection belongs to a team and names who requested it (the requester's crosslink_team and sub claims).
-- Rows made before have neither: they belong to no team, and only admins see them.
alter table connections add column team varchar(255);
alter table connections add column subject varchar(1024);
-- A team's list: its connections, newest first.
create index ix_connections_team on connections (team, created_at);

-- REST Idempotency-Keys are scoped per team now: rest:<team>:<key>, and rest::<key> for no team. A key stored before
-- (rest:<key>) belongs to no team: moved into that scope, so it can never be read as another team's key.
update connections set idempotency_key = 'rest::' || substr(idempotency_key, 6) where idempotency_key like 'rest:%';
