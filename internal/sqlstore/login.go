package sqlstore

import (
	"context"
	"fmt"
	"time"

	"convene"
)

// CreateLoginSession stores s; it needs no actor (it is how one begins).
func (db *DB) CreateLoginSession(ctx context.Context, s *convene.LoginSession) error {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.clock()
	}
	if s.LastSeenAt.IsZero() {
		s.LastSeenAt = s.CreatedAt
	}
	_, err := db.write.ExecContext(ctx, db.q(`INSERT INTO login_sessions (hash, tenant_id, user_id, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`), s.Hash, s.TenantID, s.UserID, ns(s.CreatedAt), ns(s.LastSeenAt), ns(s.ExpiresAt))
	if db.d.IsUniqueViolation(err) {
		return convene.Errorf(convene.ECONFLICT, "this login session already exists")
	} else if err != nil {
		return fmt.Errorf("insert login session: %w", err)
	}
	return nil
}

// AuthenticateLoginSession returns the login session with hash and its
// active user unless it expired at now (absolute, or idle longer than idle
// when idle > 0), and marks it seen at now. ENOTFOUND otherwise.
func (db *DB) AuthenticateLoginSession(ctx context.Context, hash string, now time.Time, idle time.Duration) (*convene.LoginSession, *convene.User, error) {
	var s convene.LoginSession
	var created, seen, expires int64
	row := db.read.QueryRowContext(ctx, db.q(`SELECT l.hash, l.tenant_id, l.user_id, l.created_at, l.last_seen_at, l.expires_at, `+userColumns+`
		FROM login_sessions l JOIN users u ON u.id = l.user_id AND u.tenant_id = l.tenant_id
		WHERE l.hash = ? AND u.disabled = ?`), hash, false)
	u, err := scanUser(prefixScanner{row, []any{&s.Hash, &s.TenantID, &s.UserID, &created, &seen, &expires}})
	if err != nil {
		return nil, nil, notFound(err, "unknown or expired login session")
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = ts(created), ts(seen), ts(expires)
	if !now.Before(s.ExpiresAt) || (idle > 0 && now.Sub(s.LastSeenAt) >= idle) {
		return nil, nil, convene.Errorf(convene.ENOTFOUND, "unknown or expired login session")
	}
	s.LastSeenAt = now.UTC()
	if _, err := db.write.ExecContext(ctx, db.q(`UPDATE login_sessions SET last_seen_at = ? WHERE hash = ?`), ns(s.LastSeenAt), hash); err != nil {
		return nil, nil, fmt.Errorf("touch login session: %w", err)
	}
	return &s, u, nil
}

// DeleteLoginSession revokes a login session (logout); deleting one that is
// gone already is no error.
func (db *DB) DeleteLoginSession(ctx context.Context, hash string) error {
	if _, err := db.write.ExecContext(ctx, db.q(`DELETE FROM login_sessions WHERE hash = ?`), hash); err != nil {
		return fmt.Errorf("delete login session: %w", err)
	}
	return nil
}
