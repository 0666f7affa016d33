-- A multi-invite can be undone once: undone_at (integer unix nanoseconds,
-- UTC; 0 while not undone) and who did it (NULL for the system).

ALTER TABLE batches ADD COLUMN undone_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN undone_by BIGINT;
