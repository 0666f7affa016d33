package sqlstore

import (
	"context"
	"fmt"

	"convene"
)

// UpdateSession changes a session: its owner or a Tenant Admin
// (EFORBIDDEN). ENOTFOUND when the actor may not read it, EINVALID for bad
// values.
func (db *DB) UpdateSession(ctx context.Context, id int64, upd convene.SessionUpdate) (*convene.Session, error) {
	var s *convene.Session
	err := db.inSessionTx(ctx, id, convene.PermEditSession, func(tx *eventTx, actor convene.Actor, cur *convene.Session) error {
		s = upd.Apply(*cur)
		if err := s.Validate(); err != nil {
			return err
		}
		s.UpdatedAt = db.clock()
		_, err := tx.ExecContext(ctx, db.q(`UPDATE sessions SET title = ?, description = ?, archived = ?, updated_at = ? WHERE id = ?`),
			s.Title, s.Description, s.Archived, ns(s.UpdatedAt), s.ID)
		if err != nil {
			return fmt.Errorf("update session: %w", err)
		}
		if err := db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventSessionUpdated, 0,
			sessionData{ID: s.ID, Title: s.Title, Description: s.Description, Archived: s.Archived}); err != nil {
			return err
		}
		if s.Title == cur.Title {
			return nil
		}
		return db.insertAudit(ctx, tx.Tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditSessionRenamed,
			SessionID: s.ID, Before: cur.Title, After: s.Title})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSession deletes a session and its memberships: its owner or a
// Tenant Admin (EFORBIDDEN); ENOTFOUND when the actor may not read it.
func (db *DB) DeleteSession(ctx context.Context, id int64) error {
	return db.inSessionTx(ctx, id, convene.PermDeleteSession, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id = ?`), s.ID); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		// The log outlives the session: every subscriber learns of the end
		// and that it has no access any more.
		if err := db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventSessionDeleted, 0, idData{ID: s.ID}); err != nil {
			return err
		}
		if err := db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventAccess, 0, accessData{Access: accessNone}); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx.Tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditSessionDeleted, SessionID: s.ID, Before: s.Title})
	})
}

// sessionFor loads a session for perm: ENOTFOUND when the actor may not
// read it, EFORBIDDEN when they may read it but not do perm.
func (db *DB) sessionFor(ctx context.Context, q querier, actor convene.Actor, id int64, perm convene.Permission) (*convene.Session, error) {
	s, err := db.readableSession(ctx, q, actor, id)
	if err != nil {
		return nil, err
	}
	if err := convene.Authorize(actor, perm, s, s.MyAccess); err != nil {
		return nil, err
	}
	return s, nil
}
