-- An index for case-insensitive substring search of session titles.
-- session_folds keeps each title folded by convene_fold (Go's lower-casing,
-- registered on every connection: SQLite's own lower() ignores non-ASCII
-- letters); session_titles indexes the folded titles by trigrams (FTS5
-- external content, rowid = session id; case_sensitive 1 because the text
-- is folded already, the same way the search text is). Triggers keep both
-- in step with every insert, rename and delete (cascades included).

CREATE TABLE session_folds (
    id     INTEGER PRIMARY KEY,
    folded TEXT NOT NULL
);

CREATE VIRTUAL TABLE session_titles USING fts5(
    folded, content = 'session_folds', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1'
);

INSERT INTO session_folds (id, folded) SELECT id, convene_fold(title) FROM sessions;
INSERT INTO session_titles (session_titles) VALUES ('rebuild');

CREATE TRIGGER sessions_title_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO session_folds (id, folded) VALUES (NEW.id, convene_fold(NEW.title));
    INSERT INTO session_titles (rowid, folded) VALUES (NEW.id, convene_fold(NEW.title));
END;

CREATE TRIGGER sessions_title_update AFTER UPDATE OF title ON sessions BEGIN
    INSERT INTO session_titles (session_titles, rowid, folded)
        SELECT 'delete', id, folded FROM session_folds WHERE id = OLD.id;
    UPDATE session_folds SET folded = convene_fold(NEW.title) WHERE id = OLD.id;
    INSERT INTO session_titles (rowid, folded) VALUES (NEW.id, convene_fold(NEW.title));
END;

CREATE TRIGGER sessions_title_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO session_titles (session_titles, rowid, folded)
        SELECT 'delete', id, folded FROM session_folds WHERE id = OLD.id;
    DELETE FROM session_folds WHERE id = OLD.id;
END;
