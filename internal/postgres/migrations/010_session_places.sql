-- Sessions are places (issue 10): notes, a discussion and files in a
-- session, and the bounded log of its live events.

CREATE TABLE notes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT NOT NULL,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX notes_session ON notes (session_id, id);

CREATE TABLE messages (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT NOT NULL,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_session ON messages (session_id, id);

-- A file is listed once complete (complete); its bytes are rows of
-- file_chunks, written one chunk at a time while the upload streams in.
CREATE TABLE files (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    BIGINT NOT NULL,
    session_id   BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    complete     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL
);
CREATE INDEX files_session ON files (session_id, id);

CREATE TABLE file_chunks (
    file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    seq     BIGINT NOT NULL,
    data    BYTEA NOT NULL,
    PRIMARY KEY (file_id, seq)
);

-- The event log outlives its session (session.deleted must reach the
-- subscribers), so it has no foreign key to sessions. last_id counts a
-- session's events: taking the next id locks the head row until commit, so
-- ids increase in commit order within a session.
CREATE TABLE session_event_heads (
    session_id BIGINT PRIMARY KEY,
    last_id    BIGINT NOT NULL
);

CREATE TABLE session_events (
    session_id BIGINT NOT NULL,
    id         BIGINT NOT NULL,
    tenant_id  BIGINT NOT NULL,
    name       TEXT NOT NULL,
    data       TEXT NOT NULL,
    user_id    BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, id)
);

-- Chunks are mostly compressed already (images, archives, PDFs): keep them
-- out of line, uncompressed.
ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
