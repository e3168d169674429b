-- A registered API-key remote is watched until it is verified (RemoteWatch): one more kind of pending step.
alter table connections drop constraint connections_pending_check;
alter table connections add constraint connections_pending_check
    check (pending in ('CHECKS','REGISTER_REMOTE','REREGISTER_REMOTE','WATCH_REMOTE','REMOVE_REMOTE'));
