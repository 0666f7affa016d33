-- Link secrets are never written in clear (contract section 12). Until
-- this version a link's job payload carried its secret until the message
-- was sent, and the outbox could record a message with its link whole, so
-- the file, its -wal and its backups may hold usable links. From now on
-- the payload names the link and the delivery worker mints the secret when
-- it sends, storing only its hash. This migration cleans what is there:
--   1. every link whose secret may be on disk stops working: pending
--      invitations, and unused password links that were sent by a job
--      (links printed by the CLI never reached the disk);
--   2. no payload keeps a secret, no recorded body a link's secret;
--   3. the messages of those links still waiting are dropped, and each of
--      those links that can still be used (unexpired, its user active) is
--      re-sent: a fresh message, with a freshly minted secret.
-- Old backups still hold the old secrets, which no longer work.

DROP TRIGGER IF EXISTS jobs_scrub_secret;

CREATE TEMP TABLE m007_sent_links AS
    SELECT DISTINCT CAST(json_extract(CAST(payload AS TEXT), '$.link_id') AS INTEGER) AS id
    FROM jobs WHERE kind = 'password_link' AND json_valid(CAST(payload AS TEXT));

UPDATE invitations SET token_hash = lower(hex(randomblob(32))) WHERE status = 'pending';
UPDATE password_links SET token_hash = lower(hex(randomblob(32)))
WHERE used_at = 0 AND id IN (SELECT id FROM m007_sent_links);

UPDATE jobs SET status = 'failed',
    last_error = 'replaced at upgrade (migration 007): its link had been stored in clear; a fresh message was queued'
WHERE kind IN ('guest_invitation', 'password_link') AND status IN ('queued', 'running');

UPDATE jobs SET payload = CAST(json_remove(CAST(payload AS TEXT), '$.token') AS BLOB)
WHERE kind IN ('guest_invitation', 'password_link') AND json_valid(CAST(payload AS TEXT))
  AND json_type(CAST(payload AS TEXT), '$.token') IS NOT NULL;

-- A secret is 43 URL-safe characters after its path.
UPDATE jobs SET body = replace(body, substr(body, instr(body, '/invite/') + 8, 43), '[redacted]')
WHERE kind = 'guest_invitation' AND instr(body, '/invite/') > 0 AND substr(body, instr(body, '/invite/') + 8, 1) <> '[';
UPDATE jobs SET body = replace(body, substr(body, instr(body, '/set-password/') + 14, 43), '[redacted]')
WHERE kind = 'password_link' AND instr(body, '/set-password/') > 0 AND substr(body, instr(body, '/set-password/') + 14, 1) <> '[';

INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at)
SELECT tenant_id, 'guest_invitation', CAST(json_object('invitation_id', id, 'sent', sent_count) AS BLOB), 'queued',
    unixepoch() * 1000000000, unixepoch() * 1000000000, unixepoch() * 1000000000
FROM invitations WHERE status = 'pending' AND expires_at > unixepoch() * 1000000000
ORDER BY id;

INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at)
SELECT l.tenant_id, 'password_link', CAST(json_object('link_id', l.id) AS BLOB), 'queued',
    unixepoch() * 1000000000, unixepoch() * 1000000000, unixepoch() * 1000000000
FROM password_links l JOIN users u ON u.id = l.user_id
WHERE l.used_at = 0 AND l.expires_at > unixepoch() * 1000000000 AND u.disabled = 0
  AND l.id IN (SELECT id FROM m007_sent_links)
ORDER BY l.id;

DROP TABLE m007_sent_links;
