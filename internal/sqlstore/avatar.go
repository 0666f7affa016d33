package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
)

var _ convene.AvatarService = (*DB)(nil)

// SetAvatar stores the picture of a user of the actor's tenant and marks
// the user as having one: the user themself, a Tenant Admin or the system
// (EFORBIDDEN). ENOTFOUND for an unknown user. The caller checks the image.
func (db *DB) SetAvatar(ctx context.Context, userID int64, contentType string, data []byte) error {
	defer db.tokens.forget() // after the commit: the cached users must not outlive it
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	self := !actor.IsSystem() && actor.UserID() == userID && !actor.User.Disabled
	if !self {
		if err := convene.Authorize(actor, convene.PermManageUsers, nil, ""); err != nil {
			return err
		}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.findUser(ctx, tx, actor.TenantID, userID); err != nil {
			return err
		}
		now := ns(db.clock())
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO avatars (user_id, tenant_id, content_type, data, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`),
			userID, actor.TenantID, contentType, data, now)
		if err != nil {
			return fmt.Errorf("store avatar: %w", err)
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE users SET has_avatar = ?, updated_at = ? WHERE id = ? AND tenant_id = ?`),
			true, now, userID, actor.TenantID)
		if err != nil {
			return fmt.Errorf("mark avatar: %w", err)
		}
		return nil
	})
}

// Avatar returns the picture of a user of the actor's tenant, or ENOTFOUND.
func (db *DB) Avatar(ctx context.Context, userID int64) (string, []byte, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return "", nil, err
	}
	var (
		contentType string
		data        []byte
	)
	err = db.read.QueryRowContext(ctx, db.q(`SELECT content_type, data FROM avatars WHERE user_id = ? AND tenant_id = ?`),
		userID, actor.TenantID).Scan(&contentType, &data)
	if err != nil {
		return "", nil, notFound(err, "no picture for user %d", userID)
	}
	return contentType, data, nil
}
