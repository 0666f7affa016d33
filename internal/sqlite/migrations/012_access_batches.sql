-- A batch is a multi-invite ('grant') or a bulk access change ('access',
-- whose access column holds its action: view, collaborate or remove, and
-- whose results' letters record the access before of each changed pair).

ALTER TABLE batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'grant';
