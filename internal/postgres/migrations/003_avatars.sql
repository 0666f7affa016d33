-- Uploaded profile pictures, one per user, apart from the users table so
-- that listing users never reads image bytes. users.has_avatar says whether
-- a row exists here. Times are integer unix nanoseconds, UTC.

CREATE TABLE avatars (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data         BYTEA NOT NULL,
    updated_at   BIGINT NOT NULL
);
