-- Each session keeps the number of its members (issue 8): the session
-- list read it per row with a count of the session's memberships. Triggers
-- keep it in step with every insert and delete of a membership, in the
-- writing statement's transaction, whatever the path (a batch of a
-- million pairs, one accept, a removal, an undo, a deleted session).
-- SQLite has one writer at a time, so a row trigger's +1 / -1 is exact.

ALTER TABLE sessions ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET member_count = (SELECT COUNT(*) FROM memberships m WHERE m.session_id = sessions.id);

CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships BEGIN
    UPDATE sessions SET member_count = member_count + 1 WHERE id = NEW.session_id;
END;

CREATE TRIGGER memberships_count_delete AFTER DELETE ON memberships BEGIN
    UPDATE sessions SET member_count = member_count - 1 WHERE id = OLD.session_id;
END;
