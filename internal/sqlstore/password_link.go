package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
	"convene/internal/auth"
)

var _ convene.PasswordLinkService = (*DB)(nil)

// CreatePasswordLink stores a new link for a user of the actor's tenant
// (Tenant Admins and the system: EFORBIDDEN; ENOTFOUND for an unknown
// user), replacing their unused ones, and queues its message when
// req.Send. It returns the secret only without req.Send (see
// insertPasswordLink).
func (db *DB) CreatePasswordLink(ctx context.Context, req convene.PasswordLinkRequest) (string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return "", err
	}
	if err := convene.Authorize(actor, convene.PermManageUsers, nil, ""); err != nil {
		return "", err
	}
	if req.Purpose != convene.PasswordLinkSet && req.Purpose != convene.PasswordLinkReset {
		return "", convene.FieldErrorf("purpose", "must be set or reset")
	}
	var secret string
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		u, err := db.findUser(ctx, tx, actor.TenantID, req.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return convene.Errorf(convene.EUNAVAILABLE, "this account is disabled")
		}
		secret, err = db.insertPasswordLink(ctx, tx, u, req)
		return err
	})
	return secret, err
}

// CreateUserWithPasswordLink registers u and a set-password link for them
// in one transaction (see CreateUser for the errors), queuing the link's
// message when send. It returns the link's secret when it did not.
func (db *DB) CreateUserWithPasswordLink(ctx context.Context, u *convene.User, send bool) (string, error) {
	actor, err := db.actorForNewUser(ctx, u)
	if err != nil {
		return "", err
	}
	var secret string
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.createUser(ctx, tx, actor, u); err != nil {
			return err
		}
		secret, err = db.insertPasswordLink(ctx, tx, u, convene.PasswordLinkRequest{UserID: u.ID, Purpose: convene.PasswordLinkSet, Send: send})
		return err
	})
	return secret, err
}

// CreateTenantWithPasswordLink creates t, its admin and a set-password link
// for the admin in one transaction (see CreateTenant for the errors). It
// returns the link's secret, for the caller to show.
func (db *DB) CreateTenantWithPasswordLink(ctx context.Context, t *convene.Tenant, admin *convene.User) (string, error) {
	if err := db.prepareTenant(t, admin); err != nil {
		return "", err
	}
	var secret string
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.createTenant(ctx, tx, t, admin); err != nil {
			return err
		}
		var err error
		secret, err = db.insertPasswordLink(ctx, tx, admin, convene.PasswordLinkRequest{UserID: admin.ID, Purpose: convene.PasswordLinkSet})
		return err
	})
	return secret, err
}

// insertPasswordLink replaces u's unused links with a new one. With
// req.Send it queues the link's message and returns no secret: the row
// holds the hash of a secret nobody has until the worker mints the one it
// sends. Without it, the secret is returned for the caller to show.
func (db *DB) insertPasswordLink(ctx context.Context, tx *sql.Tx, u *convene.User, req convene.PasswordLinkRequest) (string, error) {
	if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM password_links WHERE user_id = ? AND used_at = 0`), u.ID); err != nil {
		return "", fmt.Errorf("replace password links: %w", err)
	}
	ttl := convene.SetPasswordLinkTTL
	if req.Purpose == convene.PasswordLinkReset {
		ttl = convene.ResetPasswordLinkTTL
	}
	secret, hash := auth.NewSecret()
	if req.Send {
		secret, hash = "", auth.UnknownSecretHash()
	}
	now := db.clock()
	var id int64
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO password_links (tenant_id, user_id, purpose, token_hash, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), u.TenantID, u.ID, string(req.Purpose), hash, ns(now.Add(ttl)), ns(now)).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("insert password link: %w", err)
	}
	if req.Send {
		if err := db.enqueuePasswordLink(ctx, tx, u.TenantID, id); err != nil {
			return "", err
		}
	}
	return secret, nil
}

// RequestPasswordReset sends a reset link to the active user whose login
// is login, and does nothing otherwise; it answers nil either way.
func (db *DB) RequestPasswordReset(ctx context.Context, login string) error {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userColumns+` FROM users u
			WHERE u.tenant_id = ? AND (u.email = ? OR u.phone = ?) ORDER BY u.id LIMIT 1`), actor.TenantID, login, login))
		if err == sql.ErrNoRows || (err == nil && u.Disabled) {
			return nil
		} else if err != nil {
			return fmt.Errorf("find user: %w", err)
		}
		_, err = db.insertPasswordLink(ctx, tx, u, convene.PasswordLinkRequest{UserID: u.ID, Purpose: convene.PasswordLinkReset, Send: true})
		return err
	})
}

// passwordLinkSelect finds a usable link: unused, unexpired, of an active
// user. The caller adds how the link is named.
const passwordLinkSelect = `SELECT l.id, l.tenant_id, l.user_id, l.purpose, l.token_hash, l.expires_at, l.used_at, l.created_at, ` + userColumns + `
	FROM password_links l JOIN users u ON u.id = l.user_id
	WHERE l.used_at = 0 AND l.expires_at > ? AND u.disabled = ? AND `

// FindPasswordLink returns an unused, unexpired link and its active user;
// ENOTFOUND otherwise. It needs no actor.
func (db *DB) FindPasswordLink(ctx context.Context, tokenHash string) (*convene.PasswordLink, *convene.User, error) {
	return db.usablePasswordLink(ctx, db.read, `l.token_hash = ?`, tokenHash)
}

// usablePasswordLink loads the usable link where names (with arg), and its
// user; ENOTFOUND when there is none.
func (db *DB) usablePasswordLink(ctx context.Context, q querier, where string, arg any) (*convene.PasswordLink, *convene.User, error) {
	var l convene.PasswordLink
	var purpose string
	var expires, used, created int64
	row := q.QueryRowContext(ctx, db.q(passwordLinkSelect+where), ns(db.clock()), false, arg)
	u, err := scanUser(prefixScanner{row, []any{&l.ID, &l.TenantID, &l.UserID, &purpose, &l.TokenHash, &expires, &used, &created}})
	if err != nil {
		return nil, nil, notFound(err, "this link is not valid any more: it was used, replaced or has expired")
	}
	l.Purpose, l.ExpiresAt, l.UsedAt, l.CreatedAt = convene.PasswordLinkPurpose(purpose), ts(expires), ts(used), ts(created)
	u.PasswordHash = ""
	return &l, u, nil
}

// UsePasswordLink sets the password of the link's user and uses the link
// up, in one transaction; it also signs the user out everywhere. ENOTFOUND
// when the link is unknown, used, expired or its user disabled.
func (db *DB) UsePasswordLink(ctx context.Context, tokenHash, passwordHash string) (*convene.User, error) {
	defer db.tokens.forget() // after the commit: the cached users must not outlive it
	if passwordHash == "" {
		return nil, convene.FieldErrorf("password", "is required")
	}
	var u *convene.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := ns(db.clock())
		var tenantID, userID int64
		err := tx.QueryRowContext(ctx, db.q(`UPDATE password_links SET used_at = ?
			WHERE token_hash = ? AND used_at = 0 AND expires_at > ? RETURNING tenant_id, user_id`), now, tokenHash, now).Scan(&tenantID, &userID)
		if err != nil {
			return notFound(err, "this link is not valid any more: it was used, replaced or has expired")
		}
		if u, err = db.findUser(ctx, tx, tenantID, userID); err != nil {
			return err
		}
		if u.Disabled {
			return convene.Errorf(convene.ENOTFOUND, "this link is not valid any more")
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`), passwordHash, now, userID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM login_sessions WHERE user_id = ?`), userID); err != nil {
			return fmt.Errorf("sign out: %w", err)
		}
		_, err = tx.ExecContext(ctx, db.q(`DELETE FROM password_links WHERE user_id = ? AND used_at = 0`), userID)
		return err
	})
	if err != nil {
		return nil, err
	}
	u.PasswordHash = ""
	return u, nil
}
