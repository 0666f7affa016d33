package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"convene"
)

// UpdateUser changes a user of the actor's tenant. Tenant Admins change
// anything; a user may change their own name and avatar (else EFORBIDDEN).
// EINVALID for a bad role or name, ENOTFOUND for an unknown user, ECONFLICT
// when it would leave the tenant without an active Tenant Admin.
func (db *DB) UpdateUser(ctx context.Context, id int64, upd convene.UserUpdate) (*convene.User, error) {
	defer db.tokens.forget() // after the commit: the cached users must not outlive it
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := convene.AuthorizeUserUpdate(actor, id, upd); err != nil {
		return nil, err
	}
	if upd.Role != nil && !upd.Role.Valid() {
		return nil, convene.FieldErrorf("role", "must be one of admin, session_admin, member, guest")
	}
	var u *convene.User
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := db.findUser(ctx, tx, actor.TenantID, id)
		if err != nil {
			return err
		}
		u = upd.Apply(*before)
		u.UpdatedAt = db.clock()
		if err := validateUser(u); err != nil {
			return err
		}
		if err := db.keepAnAdmin(ctx, tx, before, u); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE users SET name = ?, role = ?, disabled = ?, has_avatar = ?, updated_at = ? WHERE id = ?`),
			u.Name, string(u.Role), u.Disabled, u.HasAvatar, ns(u.UpdatedAt), u.ID)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if !before.Disabled && u.Disabled {
			if err := db.userDisabled(ctx, tx, u); err != nil {
				return err
			}
		}
		if convene.LosesSessionsByRole(before, u) {
			if err := db.userDemoted(tx, u); err != nil {
				return err
			}
		}
		return db.auditUserUpdate(ctx, tx, actor, before, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// keepAnAdmin refuses to demote or disable the last active Tenant Admin.
func (db *DB) keepAnAdmin(ctx context.Context, tx *sql.Tx, before, after *convene.User) error {
	if !convene.LosesActiveAdmin(before, after) {
		return nil
	}
	var others int
	err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE tenant_id = ? AND role = ? AND disabled = ? AND id <> ?`),
		before.TenantID, string(convene.RoleAdmin), false, before.ID).Scan(&others)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if others == 0 {
		return convene.Errorf(convene.ECONFLICT, "the workspace needs at least one active admin: make someone else admin first")
	}
	return nil
}

// auditUserUpdate records changes of role and of the disabled flag.
func (db *DB) auditUserUpdate(ctx context.Context, tx *sql.Tx, actor convene.Actor, before, after *convene.User) error {
	e := &convene.AuditEvent{TenantID: after.TenantID, ActorID: actor.UserID(), Action: convene.AuditUserUpdated, UserID: after.ID}
	if before.Role != after.Role {
		e.Before, e.After = "role="+string(before.Role), "role="+string(after.Role)
		if err := db.insertAudit(ctx, tx, e); err != nil {
			return err
		}
	}
	if before.Disabled != after.Disabled {
		e2 := *e
		e2.Before, e2.After = "disabled="+strconv.FormatBool(before.Disabled), "disabled="+strconv.FormatBool(after.Disabled)
		return db.insertAudit(ctx, tx, &e2)
	}
	return nil
}

// SetPasswordHash stores a user's new password hash: the user themself, a
// Tenant Admin or the system (EFORBIDDEN). ENOTFOUND for an unknown user.
func (db *DB) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	defer db.tokens.forget() // after the commit: the cached users must not outlive it
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	if err := convene.AuthorizePasswordChange(actor, id); err != nil {
		return err
	}
	res, err := db.write.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`),
		hash, ns(db.clock()), actor.TenantID, id)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return convene.Errorf(convene.ENOTFOUND, "user %d not found", id)
	}
	return nil
}
