package sqlstore

import (
	"context"
	"fmt"

	"convene"
)

// UserSessions pages the sessions userID is a member of, with their
// access, newest membership first (a keyset on created_at and session id):
// Tenant Admins only.
func (db *DB) UserSessions(ctx context.Context, userID int64, f convene.MemberFilter) ([]*convene.UserSession, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	if err := convene.Authorize(actor, convene.PermManageUsers, nil, ""); err != nil {
		return nil, "", err
	}
	if _, err := db.FindUserByID(ctx, userID); err != nil {
		return nil, "", err
	}
	where, args := `m.user_id = ? AND s.tenant_id = ?`, []any{userID, actor.TenantID}
	if f.Cursor != "" {
		var at, id int64
		if err := decodeCursor(f.Cursor, &at, &id); err != nil {
			return nil, "", err
		}
		where, args = where+` AND (m.created_at < ? OR (m.created_at = ? AND s.id < ?))`, append(args, at, at, id)
	}
	limit := clampLimit(f.Limit, 100, 500)
	rows, err := queryAll(ctx, db, db.read, "session", func(r rowScanner) (*convene.UserSession, error) {
		var us convene.UserSession
		var access string
		var since int64
		err := r.Scan(&us.SessionID, &us.Title, &access, &since)
		us.Access, us.Since = convene.Access(access), ts(since)
		return &us, err
	}, `SELECT s.id, s.title, m.access, m.created_at FROM memberships m JOIN sessions s ON s.id = m.session_id
		WHERE `+where+` ORDER BY m.created_at DESC, s.id DESC`+fmt.Sprintf(` LIMIT %d`, limit+1), args...)
	if err != nil || len(rows) <= limit {
		return rows, "", err
	}
	last := rows[limit-1]
	return rows[:limit], encodeCursor(ns(last.Since), last.SessionID), nil
}
