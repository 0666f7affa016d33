package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"convene"
	"convene/internal/phone"
)

// tenantInput is what "convene tenant create" is given.
type tenantInput struct {
	slug, name               string
	adminEmail, adminPhone   string
	adminName, adminPassword string
}

// tenantCreate runs "convene tenant create": a tenant and its first Tenant
// Admin, in one transaction.
func (a *app) tenantCreate(ctx context.Context, args []string) error {
	var cfg config
	var in tenantInput
	fs := newFlags("tenant create")
	fs.StringVar(&in.slug, "slug", "", "the workspace name people type at sign-in (required)")
	fs.StringVar(&in.name, "name", "", "the tenant's display name (required)")
	fs.StringVar(&in.adminEmail, "admin-email", "", "the first Tenant Admin's email (required)")
	fs.StringVar(&in.adminPhone, "admin-phone", "", "the admin's phone number")
	fs.StringVar(&in.adminName, "admin-name", "", "the admin's name (default: from the email)")
	fs.StringVar(&in.adminPassword, "admin-password", "", "the admin's password (default: print a set-password link)")
	cfg.bindDB(fs)
	cfg.bindPublicURL(fs)
	cfg.bindTenantDefaults(fs)
	if err := a.parse(fs, args, "slug", "name", "admin-email"); err != nil {
		return err
	}
	tenant, admin, err := newTenant(&cfg, &in)
	if err != nil {
		return err
	}
	publicURL, err := cfg.publicURL(defaultAddr)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	secret, err := createTenant(ctx, store, tenant, admin)
	if convene.ErrorCode(err) == convene.ECONFLICT {
		return convene.Errorf(convene.ECONFLICT, "tenant slug %q is already taken", tenant.Slug)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "created tenant %q (%s) with Tenant Admin %s\n", tenant.Slug, tenant.Name, admin.Login())
	a.printSignIn(publicURL, tenant, admin, secret)
	return nil
}

// createTenant creates the tenant and its admin, with a set-password link
// in the same transaction when the admin has no password; it returns the
// link's secret ("" when there is none).
func createTenant(ctx context.Context, store convene.Store, t *convene.Tenant, admin *convene.User) (string, error) {
	if admin.PasswordHash != "" {
		return "", store.CreateTenant(ctx, t, admin)
	}
	return store.CreateTenantWithPasswordLink(ctx, t, admin)
}

// newTenant builds and validates the tenant and its admin from the input,
// before any database is touched.
func newTenant(cfg *config, in *tenantInput) (*convene.Tenant, *convene.User, error) {
	tenant := &convene.Tenant{
		Slug:             strings.TrimSpace(in.slug),
		Name:             strings.TrimSpace(in.name),
		DefaultRegion:    strings.ToUpper(strings.TrimSpace(cfg.DefaultRegion)),
		PhoneAliasDomain: strings.ToLower(strings.TrimSpace(cfg.PhoneAliasDomain)),
		GuestsAllowed:    true,
		InvitationTTL:    convene.DefaultInvitationTTL,
	}
	if !phone.KnownRegion(tenant.DefaultRegion) {
		return nil, nil, convene.Errorf(convene.EINVALID, "default region %q is not a region with phone numbers (set CONVENE_DEFAULT_REGION or --default-region to a code such as US or DE)", cfg.DefaultRegion)
	}
	if err := tenant.Validate(); err != nil {
		return nil, nil, err
	}
	admin, err := newAdmin(tenant, in)
	if err != nil {
		return nil, nil, err
	}
	return tenant, admin, nil
}

func newAdmin(tenant *convene.Tenant, in *tenantInput) (*convene.User, error) {
	email, tel, err := parseLogins(tenant, "admin-", in.adminEmail, in.adminPhone)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.adminName)
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	hash, err := hashPassword("admin-password", in.adminPassword)
	if err != nil {
		return nil, err
	}
	admin := &convene.User{Name: name, Email: email, Phone: tel, Role: convene.RoleAdmin, PasswordHash: hash}
	return admin, admin.Validate()
}

// printSignIn tells how the new user signs in: at the login page when they
// have a password, through the one-time set-password link of secret otherwise.
func (a *app) printSignIn(publicURL string, t *convene.Tenant, u *convene.User, secret string) {
	if secret == "" {
		fmt.Fprintf(a.stdout, "sign in at %s/login with workspace %q and login %s\n", publicURL, t.Slug, u.Login())
		return
	}
	fmt.Fprintf(a.stdout, "one-time link to set the password (valid %s, shown once):\n%s/set-password/%s\n",
		humanDuration(convene.SetPasswordLinkTTL), publicURL, secret)
}

func humanDuration(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%.0f days", d.Hours()/24)
	}
	return fmt.Sprintf("%.0f hours", d.Hours())
}
