package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
)

// insertMembership inserts m, stamping its times.
func (db *DB) insertMembership(ctx context.Context, tx *sql.Tx, m *convene.Membership) error {
	now := db.clock()
	m.CreatedAt, m.UpdatedAt = now, now
	_, err := tx.ExecContext(ctx, db.q(`
		INSERT INTO memberships (session_id, user_id, access, granted_by, batch_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`),
		m.SessionID, m.UserID, string(m.Access), nullID(m.GrantedBy), nullID(m.BatchID), ns(now), ns(now))
	if db.d.IsUniqueViolation(err) {
		return convene.Errorf(convene.ECONFLICT, "this person is already a member of the session")
	} else if err != nil {
		return fmt.Errorf("insert membership: %w", err)
	}
	return nil
}

// Members lists a session's members with their users, the owner first and
// then by name. ENOTFOUND when the actor may not read the session.
func (db *DB) Members(ctx context.Context, sessionID int64) ([]*convene.Membership, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := db.readableSession(ctx, db.read, actor, sessionID); err != nil {
		return nil, err
	}
	return queryAll(ctx, db, db.read, "member", scanMember, `
		SELECT m.session_id, m.user_id, m.access, COALESCE(m.granted_by, 0), COALESCE(m.batch_id, 0), m.created_at, m.updated_at, `+userColumns+`
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.session_id = ? AND u.tenant_id = ?
		ORDER BY CASE WHEN m.access = 'owner' THEN 0 ELSE 1 END, u.name, u.id`, sessionID, actor.TenantID)
}

func scanMember(row rowScanner) (*convene.Membership, error) {
	var m convene.Membership
	var u convene.User
	var access, role string
	var created, updated, uCreated, uUpdated int64
	err := row.Scan(&m.SessionID, &m.UserID, &access, &m.GrantedBy, &m.BatchID, &created, &updated,
		&u.ID, &u.TenantID, &u.Name, &u.Email, &u.Phone, &role, &u.Disabled, &u.HasAvatar, &u.PasswordHash, &uCreated, &uUpdated)
	if err != nil {
		return nil, err
	}
	m.Access, m.CreatedAt, m.UpdatedAt = convene.Access(access), ts(created), ts(updated)
	u.Role, u.CreatedAt, u.UpdatedAt = convene.Role(role), ts(uCreated), ts(uUpdated)
	u.PasswordHash = ""
	m.User = &u
	return &m, nil
}

// findMembership reads one membership in tx; ENOTFOUND when there is none.
func (db *DB) findMembership(ctx context.Context, q querier, sessionID, userID int64) (*convene.Membership, error) {
	var m convene.Membership
	var access string
	var created, updated int64
	err := q.QueryRowContext(ctx, db.q(`
		SELECT session_id, user_id, access, COALESCE(granted_by, 0), COALESCE(batch_id, 0), created_at, updated_at
		FROM memberships WHERE session_id = ? AND user_id = ?`), sessionID, userID).
		Scan(&m.SessionID, &m.UserID, &access, &m.GrantedBy, &m.BatchID, &created, &updated)
	if err != nil {
		return nil, notFound(err, "user %d is no member of session %d", userID, sessionID)
	}
	m.Access, m.CreatedAt, m.UpdatedAt = convene.Access(access), ts(created), ts(updated)
	return &m, nil
}

// updateAccess sets a member's access by hand (not through a multi-invite):
// the membership no longer carries a batch, so undoing that batch leaves it.
func (db *DB) updateAccess(ctx context.Context, tx *sql.Tx, m *convene.Membership, access convene.Access) error {
	m.Access, m.UpdatedAt, m.BatchID = access, db.clock(), 0
	_, err := tx.ExecContext(ctx, db.q(`UPDATE memberships SET access = ?, updated_at = ?, batch_id = NULL WHERE session_id = ? AND user_id = ?`),
		string(access), ns(m.UpdatedAt), m.SessionID, m.UserID)
	if err != nil {
		return fmt.Errorf("update membership: %w", err)
	}
	return nil
}
