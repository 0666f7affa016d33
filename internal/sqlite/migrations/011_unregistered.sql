-- People who are not registered yet (contract section 14).
-- An access request remembers that someone asked for a contact nobody has
-- yet to get access to sessions; it grants itself when a user with that
-- contact comes to exist. session_ids is a JSON array, as in batches.
CREATE TABLE access_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    contact      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    session_ids  TEXT NOT NULL,
    access       TEXT NOT NULL,
    requested_by INTEGER NOT NULL,
    batch_id     INTEGER NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    user_id      INTEGER,
    decided_by   INTEGER,
    decided_at   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
-- Every user creation looks here for its contact: one probe, pending only.
CREATE INDEX access_requests_pending ON access_requests (tenant_id, contact) WHERE status = 'pending';
CREATE INDEX access_requests_tenant ON access_requests (tenant_id, id);
CREATE INDEX access_requests_requester ON access_requests (tenant_id, requested_by, id);

-- A guest invitation may carry several sessions: session_id stays the
-- first (the one of section 8's single-session flow), the others are here.
CREATE TABLE invitation_sessions (
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    PRIMARY KEY (invitation_id, session_id)
);

-- The history of batches: who retried what, and how many people each had,
-- so that a listing never decodes the results.
ALTER TABLE batches ADD COLUMN retry_of INTEGER;
ALTER TABLE batches ADD COLUMN people INTEGER NOT NULL DEFAULT 0;
UPDATE batches SET people = json_array_length(results);
CREATE INDEX batches_tenant_newest ON batches (tenant_id, id);
CREATE INDEX batches_actor_newest ON batches (tenant_id, actor_id, id);
