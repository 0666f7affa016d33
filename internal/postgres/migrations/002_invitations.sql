-- Guest invitations and password links: single-use secrets stored only as
-- hex SHA-256 hashes. Times are BIGINT unix nanoseconds, UTC.

CREATE TABLE invitations (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    session_id       BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    inviter_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact          TEXT NOT NULL,
    kind             TEXT NOT NULL,
    access           TEXT NOT NULL,
    status           TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    expires_at       BIGINT NOT NULL,
    sent_count       INTEGER NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    accepted_at      BIGINT NOT NULL DEFAULT 0,
    accepted_user_id BIGINT
);
-- One pending invitation per contact and session.
CREATE UNIQUE INDEX invitations_pending ON invitations (session_id, contact) WHERE status = 'pending';
CREATE INDEX invitations_tenant ON invitations (tenant_id, id);

CREATE TABLE password_links (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX password_links_user ON password_links (user_id);

-- A link's raw secret travels in its job's payload until the message is
-- sent or given up on; then it is dropped, in the same statement that
-- records the outcome.
CREATE FUNCTION jobs_scrub_secret() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload := convert_to((convert_from(NEW.payload, 'UTF8')::jsonb - 'token')::text, 'UTF8');
    RETURN NEW;
END
$$;
CREATE TRIGGER jobs_scrub_secret BEFORE UPDATE OF status ON jobs
FOR EACH ROW WHEN (NEW.status IN ('sent', 'failed') AND NEW.kind IN ('guest_invitation', 'password_link'))
EXECUTE FUNCTION jobs_scrub_secret();
