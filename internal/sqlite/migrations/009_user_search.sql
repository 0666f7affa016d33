-- An index for the users' directory search (name, email or phone contains
-- the text, case ignored beyond ASCII), as 008 made for session titles:
-- user_folds keeps each user's three texts folded by convene_fold, and
-- user_texts indexes them by trigrams (FTS5 external content, rowid = user
-- id). Triggers keep both in step with every insert, change and delete.

CREATE TABLE user_folds (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL
);

CREATE VIRTUAL TABLE user_texts USING fts5(
    name, email, phone, content = 'user_folds', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1'
);

INSERT INTO user_folds (id, name, email, phone)
    SELECT id, convene_fold(name), convene_fold(COALESCE(email, '')), convene_fold(COALESCE(phone, '')) FROM users;
INSERT INTO user_texts (user_texts) VALUES ('rebuild');

CREATE TRIGGER users_text_insert AFTER INSERT ON users BEGIN
    INSERT INTO user_folds (id, name, email, phone)
        VALUES (NEW.id, convene_fold(NEW.name), convene_fold(COALESCE(NEW.email, '')), convene_fold(COALESCE(NEW.phone, '')));
    INSERT INTO user_texts (rowid, name, email, phone)
        SELECT id, name, email, phone FROM user_folds WHERE id = NEW.id;
END;

CREATE TRIGGER users_text_update AFTER UPDATE OF name, email, phone ON users BEGIN
    INSERT INTO user_texts (user_texts, rowid, name, email, phone)
        SELECT 'delete', id, name, email, phone FROM user_folds WHERE id = OLD.id;
    UPDATE user_folds SET name = convene_fold(NEW.name), email = convene_fold(COALESCE(NEW.email, '')),
        phone = convene_fold(COALESCE(NEW.phone, '')) WHERE id = OLD.id;
    INSERT INTO user_texts (rowid, name, email, phone)
        SELECT id, name, email, phone FROM user_folds WHERE id = NEW.id;
END;

CREATE TRIGGER users_text_delete AFTER DELETE ON users BEGIN
    INSERT INTO user_texts (user_texts, rowid, name, email, phone)
        SELECT 'delete', id, name, email, phone FROM user_folds WHERE id = OLD.id;
    DELETE FROM user_folds WHERE id = OLD.id;
END;
