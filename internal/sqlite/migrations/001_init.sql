-- Times are integer unix nanoseconds, UTC. Booleans are 0/1.

CREATE TABLE tenants (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    slug                   TEXT NOT NULL UNIQUE,
    name                   TEXT NOT NULL,
    default_region         TEXT NOT NULL,
    phone_alias_domain     TEXT NOT NULL DEFAULT '',
    guests_allowed         INTEGER NOT NULL DEFAULT 1,
    invitation_ttl_seconds INTEGER NOT NULL,
    created_at             INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    email         TEXT,
    phone         TEXT,
    role          TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    has_avatar    INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (tenant_id, email),
    UNIQUE (tenant_id, phone)
);
CREATE INDEX users_tenant_name ON users (tenant_id, name, id);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    owner_id    INTEGER NOT NULL REFERENCES users (id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX sessions_tenant_newest ON sessions (tenant_id, created_at DESC, id DESC);

CREATE TABLE memberships (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    access     TEXT NOT NULL,
    granted_by INTEGER,
    batch_id   INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE batches (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    actor_id        INTEGER NOT NULL,
    access          TEXT NOT NULL,
    idempotency_key TEXT,
    fingerprint     TEXT NOT NULL,
    session_ids     TEXT NOT NULL,
    results         TEXT NOT NULL,
    counts          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, actor_id, idempotency_key)
);

CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    session_id INTEGER,
    user_id    INTEGER,
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    batch_id   INTEGER
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_session ON audit_events (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX audit_events_user ON audit_events (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX audit_events_batch ON audit_events (batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE login_sessions (
    hash         TEXT PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX login_sessions_user ON login_sessions (user_id);

CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    payload    BLOB NOT NULL,
    status     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    run_at     INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    channel    TEXT NOT NULL DEFAULT '',
    recipient  TEXT NOT NULL DEFAULT '',
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_tenant ON jobs (tenant_id, id);
