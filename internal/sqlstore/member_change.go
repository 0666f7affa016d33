package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"convene"
)

// SetAccess changes a member's access to collaborate or view (EINVALID
// otherwise): the session's owner, Session and Tenant Admins (EFORBIDDEN).
// ENOTFOUND for an unreadable session or a non-member, ECONFLICT for the owner.
func (db *DB) SetAccess(ctx context.Context, sessionID, userID int64, access convene.Access) (*convene.Membership, error) {
	if !access.Grantable() {
		return nil, convene.FieldErrorf("access", `must be "collaborate" or "view"`)
	}
	var m *convene.Membership
	err := db.changeMembers(ctx, sessionID, func(tx *eventTx, actor convene.Actor, s *convene.Session) (err error) {
		if m, err = db.findMembership(ctx, tx, s.ID, userID); err != nil {
			return err
		}
		before := m.Access
		switch before {
		case convene.AccessOwner:
			return convene.Errorf(convene.ECONFLICT, "the owner's access cannot be changed: transfer ownership first")
		case access:
			return nil
		}
		if err := db.updateAccess(ctx, tx.Tx, m, access); err != nil {
			return err
		}
		if err := db.memberChanged(ctx, tx, s, userID, string(access)); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx.Tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditAccessChanged,
			SessionID: s.ID, UserID: userID, Before: string(before), After: string(access)})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// changeMembers runs change in a write transaction on a session whose
// members the actor may manage (ENOTFOUND when they cannot read it,
// EFORBIDDEN when they can but may not manage it): the opening every change
// of a session's members shares. The session is locked first, as a grant
// locks it, so that concurrent changes of its members run one after the
// other and each reads what the one before wrote: of two removals of one
// member, one removes and the other finds nobody (ENOTFOUND), instead of
// both answering success and auditing the removal twice.
// Every change writes its events (member.changed, and access for the
// member) in the same transaction.
func (db *DB) changeMembers(ctx context.Context, sessionID int64, change func(*eventTx, convene.Actor, *convene.Session) error) error {
	return db.inSessionTx(ctx, sessionID, convene.PermManageMembers, change)
}

// RemoveMember takes a member out of a session: the session's owner, Session
// and Tenant Admins (EFORBIDDEN). ENOTFOUND for an unreadable session or a
// non-member, ECONFLICT for the owner.
func (db *DB) RemoveMember(ctx context.Context, sessionID, userID int64) error {
	return db.changeMembers(ctx, sessionID, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		m, err := db.findMembership(ctx, tx, s.ID, userID)
		if err != nil {
			return err
		}
		if m.Access == convene.AccessOwner {
			return convene.Errorf(convene.ECONFLICT, "the owner cannot be removed: transfer ownership first")
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM memberships WHERE session_id = ? AND user_id = ?`), s.ID, userID); err != nil {
			return fmt.Errorf("delete membership: %w", err)
		}
		if err := db.memberChanged(ctx, tx, s, userID, accessNone); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx.Tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditMemberRemoved,
			SessionID: s.ID, UserID: userID, Before: string(m.Access)})
	})
}

// TransferOwnership makes userID the owner; the previous owner stays as a
// collaborator. The session's owner, Session and Tenant Admins
// (EFORBIDDEN). ENOTFOUND for an unreadable session or unknown user,
// EINVALID for a disabled user or a guest.
func (db *DB) TransferOwnership(ctx context.Context, sessionID, userID int64) error {
	return db.changeMembers(ctx, sessionID, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		target, err := db.findUser(ctx, tx, actor.TenantID, userID)
		switch {
		case err != nil:
			return err
		case target.Disabled || target.Role == convene.RoleGuest:
			return convene.Errorf(convene.EINVALID, "only an active, registered non-guest user can own a session")
		case target.ID == s.OwnerID:
			return nil
		}
		if err := db.moveOwner(ctx, tx.Tx, s, target.ID); err != nil {
			return err
		}
		if err := db.ownerMoved(ctx, tx, s, target.ID); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx.Tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditOwnerTransferred,
			SessionID: s.ID, UserID: target.ID, Before: strconv.FormatInt(s.OwnerID, 10), After: strconv.FormatInt(target.ID, 10)})
	})
}

// moveOwner demotes the old owner to collaborate and makes newOwner owner.
// Both memberships stop carrying a batch: undoing it must not touch them.
func (db *DB) moveOwner(ctx context.Context, tx *sql.Tx, s *convene.Session, newOwner int64) error {
	now := ns(db.clock())
	steps := []struct {
		query string
		args  []any
	}{
		{`UPDATE memberships SET access = ?, updated_at = ?, batch_id = NULL WHERE session_id = ? AND access = ?`,
			[]any{string(convene.AccessCollaborate), now, s.ID, string(convene.AccessOwner)}},
		{`INSERT INTO memberships (session_id, user_id, access, granted_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (session_id, user_id) DO UPDATE SET access = excluded.access, updated_at = excluded.updated_at, batch_id = NULL`,
			[]any{s.ID, newOwner, string(convene.AccessOwner), nullID(s.OwnerID), now, now}},
		{`UPDATE sessions SET owner_id = ?, updated_at = ? WHERE id = ?`, []any{newOwner, now, s.ID}},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, db.q(st.query), st.args...); err != nil {
			return fmt.Errorf("transfer ownership: %w", err)
		}
	}
	return nil
}
