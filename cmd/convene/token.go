package main

import (
	"context"
	"fmt"
	"strings"

	"convene"
	"convene/internal/auth"
	"convene/internal/phone"
)

// tokenCreate runs "convene token create": a new API token for a user,
// printed alone on stdout so that scripts can capture it.
func (a *app) tokenCreate(ctx context.Context, args []string) error {
	var cfg config
	var slug, login, name string
	fs := newFlags("token create")
	fs.StringVar(&slug, "tenant", "", "the tenant's slug (required)")
	fs.StringVar(&login, "user", "", "the user's email or phone (required)")
	fs.StringVar(&name, "name", "cli", "a name for the token, to recognise it later")
	cfg.bindDB(fs)
	if err := a.parse(fs, args, "tenant", "user"); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	tenant, err := findTenant(ctx, store, slug)
	if err != nil {
		return err
	}
	ctx = convene.NewSystemContext(ctx, tenant.ID)
	u, err := findUserByLogin(ctx, store, tenant, login)
	if err != nil {
		return err
	}
	secret, hash := auth.NewSecret()
	tok := &convene.Token{TenantID: tenant.ID, UserID: u.ID, Name: strings.TrimSpace(name), Hash: hash}
	if err := store.CreateToken(ctx, tok); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, secret)
	return nil
}

// findUserByLogin returns the active user whose email or phone is login,
// as typed (normalised with the tenant's settings).
func findUserByLogin(ctx context.Context, store convene.Store, tenant *convene.Tenant, login string) (*convene.User, error) {
	c := convene.NewContactParser(tenant, phone.Numbering{}).Parse(login)
	if c.Kind == convene.ContactUnknown {
		return nil, convene.FieldErrorf("user", "%s", c.Reason)
	}
	u, err := store.FindUserByLogin(ctx, c.Normalized)
	if convene.ErrorCode(err) == convene.ENOTFOUND {
		return nil, convene.Errorf(convene.ENOTFOUND, "no user %s in tenant %q", c.Normalized, tenant.Slug)
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, convene.Errorf(convene.EFORBIDDEN, "user %s is disabled", u.Login())
	}
	return u, nil
}
