-- Link secrets are never written in clear (contract section 12). Until
-- this version a link's job payload carried its secret until the message
-- was sent, and the outbox could record a message with its link whole, so
-- the tables, pg_wal and backups may hold usable links. From now on the
-- payload names the link and the delivery worker mints the secret when it
-- sends, storing only its hash. This migration cleans what is there:
--   1. every link whose secret may be on disk stops working: pending
--      invitations, and unused password links that were sent by a job
--      (links printed by the CLI never reached the disk);
--   2. no payload keeps a secret, no recorded body a link's secret;
--   3. the messages of those links still waiting are dropped, and each of
--      those links that can still be used (unexpired, its user active) is
--      re-sent: a fresh message, with a freshly minted secret.
-- Old backups and old WAL segments still hold the old secrets, which no
-- longer work.

DROP TRIGGER IF EXISTS jobs_scrub_secret ON jobs;
DROP FUNCTION IF EXISTS jobs_scrub_secret();

CREATE TEMP TABLE m007_sent_links ON COMMIT DROP AS
    SELECT DISTINCT (convert_from(payload, 'UTF8')::jsonb ->> 'link_id')::bigint AS id
    FROM jobs WHERE kind = 'password_link';

CREATE TEMP TABLE m007_now ON COMMIT DROP AS
    SELECT (extract(epoch FROM clock_timestamp()) * 1000000000)::bigint AS ns;

UPDATE invitations SET token_hash = encode(sha256(convert_to(gen_random_uuid()::text || random()::text, 'UTF8')), 'hex')
WHERE status = 'pending';
UPDATE password_links SET token_hash = encode(sha256(convert_to(gen_random_uuid()::text || random()::text, 'UTF8')), 'hex')
WHERE used_at = 0 AND id IN (SELECT id FROM m007_sent_links);

UPDATE jobs SET status = 'failed',
    last_error = 'replaced at upgrade (migration 007): its link had been stored in clear; a fresh message was queued'
WHERE kind IN ('guest_invitation', 'password_link') AND status IN ('queued', 'running');

UPDATE jobs SET payload = convert_to((convert_from(payload, 'UTF8')::jsonb - 'token')::text, 'UTF8')
WHERE kind IN ('guest_invitation', 'password_link') AND convert_from(payload, 'UTF8')::jsonb ? 'token';

UPDATE jobs SET body = regexp_replace(body, '/(invite|set-password)/[A-Za-z0-9_-]+', '/\1/[redacted]', 'g')
WHERE kind IN ('guest_invitation', 'password_link') AND body ~ '/(invite|set-password)/[A-Za-z0-9_-]';

INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at)
SELECT i.tenant_id, 'guest_invitation', convert_to(json_build_object('invitation_id', i.id, 'sent', i.sent_count)::text, 'UTF8'),
    'queued', n.ns, n.ns, n.ns
FROM invitations i, m007_now n WHERE i.status = 'pending' AND i.expires_at > n.ns
ORDER BY i.id;

INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at)
SELECT l.tenant_id, 'password_link', convert_to(json_build_object('link_id', l.id)::text, 'UTF8'), 'queued', n.ns, n.ns, n.ns
FROM password_links l JOIN users u ON u.id = l.user_id, m007_now n
WHERE l.used_at = 0 AND l.expires_at > n.ns AND NOT u.disabled AND l.id IN (SELECT id FROM m007_sent_links)
ORDER BY l.id;
