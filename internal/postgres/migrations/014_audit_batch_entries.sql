-- A bulk access change records its pairs once, as the batch's results
-- already hold them (each changed pair's session, person and access
-- before), instead of one audit row per pair: one audit row stands for
-- all of them (pairs > 0 is their number) and the audit listing expands
-- it into one item per pair. So that the listing's filters by session and
-- by person stay indexed, the sessions and the people an entry changed are
-- kept beside it. (The same change as the SQLite store's.)

ALTER TABLE audit_events ADD COLUMN pairs INTEGER NOT NULL DEFAULT 0;

CREATE TABLE audit_entry_sessions (
    session_id BIGINT NOT NULL,
    entry_id   BIGINT NOT NULL,
    PRIMARY KEY (session_id, entry_id)
);

CREATE TABLE audit_entry_users (
    user_id  BIGINT NOT NULL,
    entry_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, entry_id)
);
