-- Sessions are places (issue 10): notes, a discussion and files in a
-- session, and the bounded log of its live events.

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    updated_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX notes_session ON notes (session_id, id);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_session ON messages (session_id, id);

-- A file is listed once complete (complete = 1); its bytes are rows of
-- file_chunks, written one chunk at a time while the upload streams in.
CREATE TABLE files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    INTEGER NOT NULL,
    session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_by  INTEGER NOT NULL REFERENCES users (id),
    complete     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX files_session ON files (session_id, id);

CREATE TABLE file_chunks (
    file_id INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (file_id, seq)
) WITHOUT ROWID;

-- The event log outlives its session (session.deleted must reach the
-- subscribers), so it has no foreign key to sessions. last_id counts a
-- session's events: taking the next id locks the head row until commit, so
-- ids increase in commit order within a session.
CREATE TABLE session_event_heads (
    session_id INTEGER PRIMARY KEY,
    last_id    INTEGER NOT NULL
);

CREATE TABLE session_events (
    session_id INTEGER NOT NULL,
    id         INTEGER NOT NULL,
    tenant_id  INTEGER NOT NULL,
    name       TEXT NOT NULL,
    data       TEXT NOT NULL,
    user_id    INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
