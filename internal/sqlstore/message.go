package sqlstore

import (
	"context"
	"fmt"

	"convene"
)

const messageSelect = `SELECT m.id, m.tenant_id, m.session_id, m.body, m.author_id, m.created_at, a.name
	FROM messages m JOIN users a ON a.id = m.author_id `

// PostMessage adds m to its session's discussion: PermWriteContent,
// checked in the transaction.
func (db *DB) PostMessage(ctx context.Context, m *convene.Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.inSessionTx(ctx, m.SessionID, convene.PermWriteContent, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		m.TenantID, m.AuthorID, m.Author, m.CreatedAt = s.TenantID, actor.UserID(), actor.User, db.clock()
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO messages (tenant_id, session_id, body, author_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
			m.TenantID, m.SessionID, m.Body, nullID(m.AuthorID), ns(m.CreatedAt)).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("insert message: %w", err)
		}
		return db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventMessageCreated, 0, messageEvent(m))
	})
}

// FindMessages lists a session's messages, oldest first: PermReadContent.
func (db *DB) FindMessages(ctx context.Context, sessionID int64, limit int, cursor string) ([]*convene.Message, string, error) {
	return db.findMessages(ctx, sessionID, "ASC", limit, cursor)
}

// FindRecentMessages lists a session's messages, newest first:
// PermReadContent.
func (db *DB) FindRecentMessages(ctx context.Context, sessionID int64, limit int, cursor string) ([]*convene.Message, string, error) {
	return db.findMessages(ctx, sessionID, "DESC", limit, cursor)
}

func (db *DB) findMessages(ctx context.Context, sessionID int64, order string, limit int, cursor string) ([]*convene.Message, string, error) {
	if _, _, err := db.contentReader(ctx, sessionID); err != nil {
		return nil, "", err
	}
	return pageByID(ctx, db, "message", scanMessage, messageSelect+`WHERE m.session_id = ?`, "m.id", order, sessionID, limit, cursor,
		func(m *convene.Message) int64 { return m.ID })
}

// DeleteMessage deletes a message: its author while they may write, the
// owner and Tenant Admins (convene.MayDeleteMessage), in the transaction.
func (db *DB) DeleteMessage(ctx context.Context, sessionID, messageID int64) error {
	return db.inSessionTx(ctx, sessionID, convene.PermReadContent, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		m, err := scanMessage(tx.QueryRowContext(ctx, db.q(messageSelect+`WHERE m.session_id = ? AND m.id = ?`), s.ID, messageID))
		if err != nil {
			return notFound(err, "message %d not found", messageID)
		}
		if err := convene.MayDeleteMessage(actor, s, s.MyAccess, m.AuthorID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM messages WHERE id = ?`), m.ID); err != nil {
			return fmt.Errorf("delete message: %w", err)
		}
		return db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventMessageDeleted, 0, idData{ID: m.ID})
	})
}

func scanMessage(row rowScanner) (*convene.Message, error) {
	var m convene.Message
	var created int64
	var author string
	if err := row.Scan(&m.ID, &m.TenantID, &m.SessionID, &m.Body, &m.AuthorID, &created, &author); err != nil {
		return nil, err
	}
	m.CreatedAt = ts(created)
	m.Author = &convene.User{ID: m.AuthorID, TenantID: m.TenantID, Name: author}
	return &m, nil
}
