-- trust-service, strong identity (issue #16): R's persistent cluster.remote.signing.certificate_authorities is a list
-- shared by every connection to R, so each connection holds a reference to the CA path it needs listed there
-- (signing_ca_grant, one row per connection) and signing_ca_path records, per R and path, whether Crosslink added the
-- path (or may have: set before the PUT). A path Crosslink did not add is never removed; one it added goes with the
-- last reference.

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

create table signing_ca_path (
    deployment_id varchar(100) not null,
    ca_path varchar(500) not null,
    added_by_crosslink boolean not null,
    updated_at timestamp(6) with time zone not null,
    primary key (deployment_id, ca_path)
);
