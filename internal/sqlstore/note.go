package sqlstore

import (
	"context"
	"fmt"

	"convene"
)

// noteSelect reads notes (alias n) with the names of their author (a) and
// last editor (b).
const noteSelect = `SELECT n.id, n.tenant_id, n.session_id, n.title, n.body, n.version, n.author_id, n.updated_by, n.created_at, n.updated_at, a.name, b.name
	FROM notes n JOIN users a ON a.id = n.author_id JOIN users b ON b.id = n.updated_by `

// CreateNote adds n to its session with the actor as author, version 1:
// PermWriteContent, checked in the transaction.
func (db *DB) CreateNote(ctx context.Context, n *convene.Note) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return db.inSessionTx(ctx, n.SessionID, convene.PermWriteContent, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		now := db.clock()
		n.TenantID, n.Version, n.AuthorID, n.UpdatedBy, n.CreatedAt, n.UpdatedAt = s.TenantID, 1, actor.UserID(), actor.UserID(), now, now
		n.Author, n.Updater = actor.User, actor.User
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO notes (tenant_id, session_id, title, body, version, author_id, updated_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			n.TenantID, n.SessionID, n.Title, n.Body, n.Version, nullID(n.AuthorID), nullID(n.UpdatedBy), ns(now), ns(now)).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("insert note: %w", err)
		}
		return db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventNoteCreated, 0, noteEvent(n))
	})
}

// FindNotes lists a session's notes, oldest first: PermReadContent.
func (db *DB) FindNotes(ctx context.Context, sessionID int64, limit int, cursor string) ([]*convene.Note, string, error) {
	if _, _, err := db.contentReader(ctx, sessionID); err != nil {
		return nil, "", err
	}
	return pageByID(ctx, db, "note", scanNote, noteSelect+`WHERE n.session_id = ?`, "n.id", "ASC", sessionID, limit, cursor,
		func(n *convene.Note) int64 { return n.ID })
}

// FindNoteByID returns one note of a session: PermReadContent.
func (db *DB) FindNoteByID(ctx context.Context, sessionID, noteID int64) (*convene.Note, error) {
	if _, _, err := db.contentReader(ctx, sessionID); err != nil {
		return nil, err
	}
	return db.findNote(ctx, db.read, sessionID, noteID)
}

func (db *DB) findNote(ctx context.Context, q querier, sessionID, noteID int64) (*convene.Note, error) {
	n, err := scanNote(q.QueryRowContext(ctx, db.q(noteSelect+`WHERE n.session_id = ? AND n.id = ?`), sessionID, noteID))
	if err != nil {
		return nil, notFound(err, "note %d not found", noteID)
	}
	return n, nil
}

// UpdateNote changes a note whose version is version: PermWriteContent.
// The UPDATE names the version too, so that of two writers of one version
// exactly one changes a row; the other gets EPRECONDITION.
func (db *DB) UpdateNote(ctx context.Context, sessionID, noteID, version int64, upd convene.NoteUpdate) (*convene.Note, error) {
	var n *convene.Note
	err := db.inSessionTx(ctx, sessionID, convene.PermWriteContent, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		cur, err := db.findNote(ctx, tx, s.ID, noteID)
		if err != nil {
			return err
		}
		if err := convene.CheckVersion(version, cur.Version); err != nil {
			return err
		}
		n = upd.Apply(*cur)
		if err := n.Validate(); err != nil {
			return err
		}
		n.Version, n.UpdatedBy, n.Updater, n.UpdatedAt = cur.Version+1, actor.UserID(), actor.User, db.clock()
		changed, err := db.execCount(ctx, tx.Tx, `UPDATE notes SET title = ?, body = ?, version = ?, updated_by = ?, updated_at = ?
			WHERE id = ? AND version = ?`, n.Title, n.Body, n.Version, nullID(n.UpdatedBy), ns(n.UpdatedAt), n.ID, version)
		if err != nil {
			return fmt.Errorf("update note: %w", err)
		}
		if changed != 1 {
			return convene.CheckVersion(version, version+1)
		}
		return db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventNoteUpdated, 0, noteEvent(n))
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// DeleteNote deletes a note whose version is version, as UpdateNote.
func (db *DB) DeleteNote(ctx context.Context, sessionID, noteID, version int64) error {
	return db.inSessionTx(ctx, sessionID, convene.PermWriteContent, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		cur, err := db.findNote(ctx, tx, s.ID, noteID)
		if err != nil {
			return err
		}
		if err := convene.CheckVersion(version, cur.Version); err != nil {
			return err
		}
		changed, err := db.execCount(ctx, tx.Tx, `DELETE FROM notes WHERE id = ? AND version = ?`, noteID, version)
		if err != nil {
			return fmt.Errorf("delete note: %w", err)
		}
		if changed != 1 {
			return convene.CheckVersion(version, version+1)
		}
		return db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventNoteDeleted, 0, idData{ID: noteID})
	})
}

func scanNote(row rowScanner) (*convene.Note, error) {
	var n convene.Note
	var created, updated int64
	var author, updater string
	err := row.Scan(&n.ID, &n.TenantID, &n.SessionID, &n.Title, &n.Body, &n.Version, &n.AuthorID, &n.UpdatedBy, &created, &updated, &author, &updater)
	if err != nil {
		return nil, err
	}
	n.CreatedAt, n.UpdatedAt = ts(created), ts(updated)
	n.Author = &convene.User{ID: n.AuthorID, TenantID: n.TenantID, Name: author}
	n.Updater = &convene.User{ID: n.UpdatedBy, TenantID: n.TenantID, Name: updater}
	return &n, nil
}
