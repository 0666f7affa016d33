-- Times are BIGINT unix nanoseconds, UTC (the same encoding as SQLite, so
-- both stores share their SQL and keep full precision).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE tenants (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                   TEXT NOT NULL UNIQUE,
    name                   TEXT NOT NULL,
    default_region         TEXT NOT NULL,
    phone_alias_domain     TEXT NOT NULL DEFAULT '',
    guests_allowed         BOOLEAN NOT NULL DEFAULT TRUE,
    invitation_ttl_seconds BIGINT NOT NULL,
    created_at             BIGINT NOT NULL
);

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    email         TEXT,
    phone         TEXT,
    role          TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    has_avatar    BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (tenant_id, email),
    UNIQUE (tenant_id, phone)
);
CREATE INDEX users_tenant_name ON users (tenant_id, name, id);

CREATE TABLE sessions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    owner_id    BIGINT NOT NULL REFERENCES users (id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX sessions_tenant_newest ON sessions (tenant_id, created_at DESC, id DESC);
CREATE INDEX sessions_title_trgm ON sessions USING gin (title gin_trgm_ops);

CREATE TABLE memberships (
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    access     TEXT NOT NULL,
    granted_by BIGINT,
    batch_id   BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE batches (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    actor_id        BIGINT NOT NULL,
    access          TEXT NOT NULL,
    idempotency_key TEXT,
    fingerprint     TEXT NOT NULL,
    session_ids     TEXT NOT NULL,
    results         TEXT NOT NULL,
    counts          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (tenant_id, actor_id, idempotency_key)
);

CREATE TABLE audit_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    actor_id   BIGINT,
    action     TEXT NOT NULL,
    session_id BIGINT,
    user_id    BIGINT,
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    batch_id   BIGINT
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_session ON audit_events (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX audit_events_user ON audit_events (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX audit_events_batch ON audit_events (batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE login_sessions (
    hash         TEXT PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX login_sessions_user ON login_sessions (user_id);

CREATE TABLE jobs (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    payload    BYTEA NOT NULL,
    status     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    run_at     BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    channel    TEXT NOT NULL DEFAULT '',
    recipient  TEXT NOT NULL DEFAULT '',
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_tenant ON jobs (tenant_id, id);
