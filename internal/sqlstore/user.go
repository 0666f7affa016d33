package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"convene"
)

const userColumns = `u.id, u.tenant_id, u.name, COALESCE(u.email, ''), COALESCE(u.phone, ''), u.role, u.disabled, u.has_avatar, u.password_hash, u.created_at, u.updated_at`

// validateUser is User.Validate plus what the store must refuse to store.
func validateUser(u *convene.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	switch {
	case strings.ContainsAny(u.Email, "\r\n\x00") || len(u.Email) > 320:
		return convene.FieldErrorf("email", "is not a valid email address")
	case strings.ContainsAny(u.Phone, "\r\n\x00") || len(u.Phone) > 32:
		return convene.FieldErrorf("phone", "is not a valid phone number")
	}
	return nil
}

// CreateUser registers u in the actor's tenant: Tenant Admins and the system
// (EFORBIDDEN). EINVALID for bad input, ECONFLICT when email or phone is taken.
func (db *DB) CreateUser(ctx context.Context, u *convene.User) error {
	actor, err := db.actorForNewUser(ctx, u)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.createUser(ctx, tx, actor, u) })
}

// actorForNewUser checks that the actor may register u, and that u is valid.
func (db *DB) actorForNewUser(ctx context.Context, u *convene.User) (convene.Actor, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return actor, err
	}
	if err := convene.Authorize(actor, convene.PermManageUsers, nil, ""); err != nil {
		return actor, err
	}
	u.TenantID = actor.TenantID
	return actor, validateUser(u)
}

// createUser registers u on behalf of actor (see registerUser).
func (db *DB) createUser(ctx context.Context, tx *sql.Tx, actor convene.Actor, u *convene.User) error {
	return db.registerUser(ctx, tx, actor.UserID(), u)
}

// insertUser inserts u, filling its id and times. Only registerUser calls
// it: every new user must pass there.
func (db *DB) insertUser(ctx context.Context, tx *sql.Tx, u *convene.User) error {
	now := db.clock()
	u.CreatedAt, u.UpdatedAt = now, now
	// Emails are compared as stored: one case, whichever path created the
	// user (the API and CLI lowercase too, a direct store call may not).
	u.Email = strings.ToLower(u.Email)
	err := tx.QueryRowContext(ctx, db.q(`
		INSERT INTO users (tenant_id, name, email, phone, role, disabled, has_avatar, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.TenantID, u.Name, nullStr(u.Email), nullStr(u.Phone), string(u.Role), u.Disabled, u.HasAvatar, u.PasswordHash, ns(now), ns(now),
	).Scan(&u.ID)
	if db.d.IsUniqueViolation(err) {
		return db.userConflict(ctx, u)
	} else if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// userConflict says which contact of u is taken. It reads outside the
// failed transaction, which PostgreSQL has aborted.
func (db *DB) userConflict(ctx context.Context, u *convene.User) error {
	var n int
	err := db.read.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE tenant_id = ? AND email = ?`), u.TenantID, u.Email).Scan(&n)
	if err == nil && n == 0 && u.Phone != "" {
		return convene.Errorf(convene.ECONFLICT, "a user with this phone number already exists")
	}
	return convene.Errorf(convene.ECONFLICT, "a user with this email already exists")
}

// FindUserByID returns a user of the actor's tenant, or ENOTFOUND.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*convene.User, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	return db.findUser(ctx, db.read, actor.TenantID, id)
}

func (db *DB) findUser(ctx context.Context, q querier, tenantID, id int64) (*convene.User, error) {
	row := q.QueryRowContext(ctx, db.q(`SELECT `+userColumns+` FROM users u WHERE u.tenant_id = ? AND u.id = ?`), tenantID, id)
	u, err := scanUser(row)
	if err != nil {
		return nil, notFound(err, "user %d not found", id)
	}
	return u, nil
}

// FindUserByLogin returns the user of the actor's tenant whose email or
// phone is login, or ENOTFOUND.
func (db *DB) FindUserByLogin(ctx context.Context, login string) (*convene.User, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	row := db.read.QueryRowContext(ctx, db.q(`SELECT `+userColumns+` FROM users u
		WHERE u.tenant_id = ? AND (u.email = ? OR u.phone = ?) ORDER BY u.id LIMIT 1`), actor.TenantID, login, login)
	u, err := scanUser(row)
	if err != nil {
		return nil, notFound(err, "no user with this login")
	}
	return u, nil
}

// FindUsers lists the directory by name: not for guests (EFORBIDDEN).
func (db *DB) FindUsers(ctx context.Context, f convene.UserFilter) ([]*convene.User, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	if err := convene.Authorize(actor, convene.PermReadDirectory, nil, ""); err != nil {
		return nil, "", err
	}
	limit := clampLimit(f.Limit, 50, 100)
	query, args := `SELECT `+userColumns+` FROM users u WHERE u.tenant_id = ?`, []any{actor.TenantID}
	if f.Query != "" {
		cond, condArgs := db.d.UserSearch(f.Query)
		query, args = query+` AND `+cond, append(args, condArgs...)
	}
	if f.Cursor != "" {
		var name string
		var id int64
		if err := decodeCursor(f.Cursor, &name, &id); err != nil {
			return nil, "", err
		}
		query += ` AND (u.name > ? OR (u.name = ? AND u.id > ?))`
		args = append(args, name, name, id)
	}
	query += fmt.Sprintf(` ORDER BY u.name, u.id LIMIT %d`, limit+1)
	users, err := db.queryUsers(ctx, db.read, query, db.d.PlanEach(args)...)
	if err != nil {
		return nil, "", err
	}
	users, next := pageOf(users, limit, func(last *convene.User) string { return encodeCursor(last.Name, last.ID) })
	return users, next, nil
}

// FindUsersByContacts returns the tenant's users with one of emails or
// phones, disabled ones included.
func (db *DB) FindUsersByContacts(ctx context.Context, emails, phones []string) ([]*convene.User, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	return db.usersByContacts(ctx, db.read, actor.TenantID, emails, phones, "")
}

// usersByContacts is FindUsersByContacts on q; lock is appended to the
// SELECT (a row lock inside a write transaction, or "").
func (db *DB) usersByContacts(ctx context.Context, q querier, tenantID int64, emails, phones []string, lock string) ([]*convene.User, error) {
	if len(emails) == 0 && len(phones) == 0 {
		return nil, nil
	}
	query := `SELECT ` + userColumns + ` FROM users u WHERE u.tenant_id = ? AND (` +
		db.d.InStrings("u.email") + ` OR ` + db.d.InStrings("u.phone") + `) ORDER BY u.id` + lock
	return db.queryUsers(ctx, q, query, tenantID, db.d.StringsArg(emails), db.d.StringsArg(phones))
}

// txDirectory is the tenant's directory as a grant's transaction sees it,
// with the rows it finds share-locked until the grant commits, so that a
// user disabled meanwhile is disabled after the grant, not during it.
type txDirectory struct {
	db       *DB
	tx       *sql.Tx
	tenantID int64
}

func (d txDirectory) FindUsersByContacts(ctx context.Context, emails, phones []string) ([]*convene.User, error) {
	return d.db.usersByContacts(ctx, d.tx, d.tenantID, emails, phones, d.db.d.ForShare())
}

func (db *DB) queryUsers(ctx context.Context, q querier, query string, args ...any) ([]*convene.User, error) {
	return queryAll(ctx, db, q, "user", scanUser, query, args...)
}

func scanUser(row rowScanner) (*convene.User, error) {
	var u convene.User
	var role string
	var created, updated int64
	err := row.Scan(&u.ID, &u.TenantID, &u.Name, &u.Email, &u.Phone, &role, &u.Disabled, &u.HasAvatar, &u.PasswordHash, &created, &updated)
	if err != nil {
		return nil, err
	}
	u.Role = convene.Role(role)
	u.CreatedAt, u.UpdatedAt = ts(created), ts(updated)
	return &u, nil
}
