-- trust-service, strong identity (issue #16): R's persistent cluster.remote.signing.certificate_authorities lists the
-- CA of every local deployment that signs its requests to R. Elasticsearch hides the setting from every read API (it
-- is filtered, like other TLS settings), so Crosslink cannot read-modify-write it: it owns the whole value, written as
-- the paths its live connections hold (one row per connection here) plus the configured kept ones.

create table signing_ca_grant (
    connection_id varchar(64) not null,
    environment varchar(100) not null,
    deployment_id varchar(100) not null,
    ca_path varchar(500) not null,
    status varchar(20) not null check (status in ('WANTED','GRANTED','FAILED','ABANDONED','RELEASED')),
    failure_type varchar(200),
    failure_reason varchar(1100),
    created_at timestamp(6) with time zone not null,
    updated_at timestamp(6) with time zone not null,
    primary key (connection_id)
);
create index signing_ca_grant_holders on signing_ca_grant (deployment_id, ca_path, status);
