-- Each session keeps the number of its members (issue 8): the session
-- list read it per row with a count of the session's memberships.
-- Statement triggers keep it in step with every insert and delete of
-- memberships, in the writing statement's transaction, whatever the path:
-- one UPDATE per statement over its transition table, grouped by session,
-- so that a batch of a million pairs adds one grouped update, not a
-- million. `member_count + n` is applied to the newest row version when
-- writers race (READ COMMITTED re-reads a row it waited for), so
-- concurrent writers to one session add up.

ALTER TABLE sessions ADD COLUMN member_count BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET member_count = (SELECT COUNT(*) FROM memberships m WHERE m.session_id = sessions.id);

CREATE FUNCTION memberships_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sessions s SET member_count = s.member_count + n.added
        FROM (SELECT session_id, COUNT(*) AS added FROM new_memberships GROUP BY session_id) n
        WHERE s.id = n.session_id;
    RETURN NULL;
END $$;

CREATE FUNCTION memberships_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sessions s SET member_count = s.member_count - n.removed
        FROM (SELECT session_id, COUNT(*) AS removed FROM old_memberships GROUP BY session_id) n
        WHERE s.id = n.session_id;
    RETURN NULL;
END $$;

CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_insert();
CREATE TRIGGER memberships_count_delete AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS old_memberships FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_delete();
