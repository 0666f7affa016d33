-- Guest invitations and password links: single-use secrets stored only as
-- hex SHA-256 hashes. Times are integer unix nanoseconds, UTC.

CREATE TABLE invitations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    session_id       INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    inviter_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact          TEXT NOT NULL,
    kind             TEXT NOT NULL,
    access           TEXT NOT NULL,
    status           TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    expires_at       INTEGER NOT NULL,
    sent_count       INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    accepted_at      INTEGER NOT NULL DEFAULT 0,
    accepted_user_id INTEGER
);
-- One pending invitation per contact and session.
CREATE UNIQUE INDEX invitations_pending ON invitations (session_id, contact) WHERE status = 'pending';
CREATE INDEX invitations_tenant ON invitations (tenant_id, id);

CREATE TABLE password_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX password_links_user ON password_links (user_id);

-- A link's raw secret travels in its job's payload until the message is
-- sent or given up on; then it is dropped, in the same statement that
-- records the outcome.
CREATE TRIGGER jobs_scrub_secret AFTER UPDATE OF status ON jobs
WHEN NEW.status IN ('sent', 'failed') AND NEW.kind IN ('guest_invitation', 'password_link')
BEGIN
    UPDATE jobs SET payload = CAST(json_remove(CAST(NEW.payload AS TEXT), '$.token') AS BLOB) WHERE id = NEW.id;
END;
