package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"convene"
)

const tenantColumns = `id, slug, name, default_region, phone_alias_domain, guests_allowed, invitation_ttl_seconds, created_at`

// CreateTenant creates t and admin, its first Tenant Admin, in one
// transaction; it needs no actor. EINVALID for bad input, ECONFLICT when the
// slug is taken.
func (db *DB) CreateTenant(ctx context.Context, t *convene.Tenant, admin *convene.User) error {
	if err := db.prepareTenant(t, admin); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.createTenant(ctx, tx, t, admin) })
}

// prepareTenant fills in t's defaults, makes admin its Tenant Admin, and
// validates both.
func (db *DB) prepareTenant(t *convene.Tenant, admin *convene.User) error {
	if t.DefaultRegion == "" {
		t.DefaultRegion = "US"
	}
	if t.InvitationTTL == 0 {
		t.InvitationTTL = convene.DefaultInvitationTTL
	}
	admin.Role = convene.RoleAdmin
	if err := t.Validate(); err != nil {
		return err
	}
	return validateUser(admin)
}

// createTenant inserts t, its admin, and the audit event of the admin.
func (db *DB) createTenant(ctx context.Context, tx *sql.Tx, t *convene.Tenant, admin *convene.User) error {
	t.CreatedAt = db.clock()
	if err := db.insertTenant(ctx, tx, t); err != nil {
		return err
	}
	admin.TenantID = t.ID
	return db.registerUser(ctx, tx, 0, admin)
}

func (db *DB) insertTenant(ctx context.Context, tx *sql.Tx, t *convene.Tenant) error {
	err := tx.QueryRowContext(ctx, db.q(`
		INSERT INTO tenants (slug, name, default_region, phone_alias_domain, guests_allowed, invitation_ttl_seconds, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		t.Slug, t.Name, t.DefaultRegion, t.PhoneAliasDomain, t.GuestsAllowed, int64(t.InvitationTTL/time.Second), ns(t.CreatedAt),
	).Scan(&t.ID)
	if db.d.IsUniqueViolation(err) {
		return convene.Errorf(convene.ECONFLICT, "workspace slug %q is taken", t.Slug)
	} else if err != nil {
		return fmt.Errorf("insert tenant: %w", err)
	}
	return nil
}

// FindTenantBySlug looks a tenant up by slug; it needs no actor. ENOTFOUND
// if there is none.
func (db *DB) FindTenantBySlug(ctx context.Context, slug string) (*convene.Tenant, error) {
	row := db.read.QueryRowContext(ctx, db.q(`SELECT `+tenantColumns+` FROM tenants WHERE slug = ?`), slug)
	t, err := scanTenant(row)
	if err != nil {
		return nil, notFound(err, "no workspace %q", slug)
	}
	return t, nil
}

// CurrentTenant returns the actor's tenant. EUNAUTHORIZED without an actor.
func (db *DB) CurrentTenant(ctx context.Context) (*convene.Tenant, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	return db.findTenant(ctx, db.read, actor.TenantID)
}

func (db *DB) findTenant(ctx context.Context, q querier, id int64) (*convene.Tenant, error) {
	t, err := scanTenant(q.QueryRowContext(ctx, db.q(`SELECT `+tenantColumns+` FROM tenants WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "workspace %d not found", id)
	}
	return t, nil
}

// UpdateTenant changes the actor's tenant: Tenant Admins only (EFORBIDDEN);
// EINVALID for bad values.
func (db *DB) UpdateTenant(ctx context.Context, upd convene.TenantUpdate) (*convene.Tenant, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := convene.Authorize(actor, convene.PermManageTenant, nil, ""); err != nil {
		return nil, err
	}
	var t *convene.Tenant
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if t, err = db.findTenant(ctx, tx, actor.TenantID); err != nil {
			return err
		}
		upd.Apply(t)
		if err := t.Validate(); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`
			UPDATE tenants SET name = ?, default_region = ?, phone_alias_domain = ?, guests_allowed = ?, invitation_ttl_seconds = ?
			WHERE id = ?`),
			t.Name, t.DefaultRegion, t.PhoneAliasDomain, t.GuestsAllowed, int64(t.InvitationTTL/time.Second), t.ID)
		if err != nil {
			return fmt.Errorf("update tenant: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func scanTenant(row rowScanner) (*convene.Tenant, error) {
	var t convene.Tenant
	var ttl, created int64
	if err := row.Scan(&t.ID, &t.Slug, &t.Name, &t.DefaultRegion, &t.PhoneAliasDomain, &t.GuestsAllowed, &ttl, &created); err != nil {
		return nil, err
	}
	t.InvitationTTL = time.Duration(ttl) * time.Second
	t.CreatedAt = ts(created)
	return &t, nil
}
