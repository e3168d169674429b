-- L's Elasticsearch version as connect-service read it from the Cloud API (ConnectionRequested.local.version): the
-- provers send _resolve/cluster's timeout only where the version has it (8.18+). Null for rows written before.
alter table requested_connection add column local_version varchar(64);
alter table verification add column local_version varchar(64);
