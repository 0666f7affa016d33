package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
)

// UpdateSession changes a session: its owner or a Tenant Admin
// (EFORBIDDEN). ENOTFOUND when the actor may not read it, EINVALID for bad
// values.
func (db *DB) UpdateSession(ctx context.Context, id int64, upd convene.SessionUpdate) (*convene.Session, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	var s *convene.Session
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if s, err = db.sessionFor(ctx, tx, actor, id, convene.PermEditSession); err != nil {
			return err
		}
		s = upd.Apply(*s)
		if err := s.Validate(); err != nil {
			return err
		}
		s.UpdatedAt = db.clock()
		_, err := tx.ExecContext(ctx, db.q(`UPDATE sessions SET title = ?, description = ?, archived = ?, updated_at = ? WHERE id = ?`),
			s.Title, s.Description, s.Archived, ns(s.UpdatedAt), s.ID)
		if err != nil {
			return fmt.Errorf("update session: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSession deletes a session and its memberships: its owner or a
// Tenant Admin (EFORBIDDEN); ENOTFOUND when the actor may not read it.
func (db *DB) DeleteSession(ctx context.Context, id int64) error {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		s, err := db.sessionFor(ctx, tx, actor, id, convene.PermDeleteSession)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id = ?`), s.ID); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return db.insertAudit(ctx, tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditSessionDeleted, SessionID: s.ID, Before: s.Title})
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
