package main

import (
	"context"
	"fmt"
	"strings"

	"convene"
)

// userInput is what "convene user add" is given.
type userInput struct {
	tenant, email, phone, name, role, password string
}

// userAdd runs "convene user add": registers a user in a tenant, as a
// Tenant Admin does in the dashboard.
func (a *app) userAdd(ctx context.Context, args []string) error {
	var cfg config
	var in userInput
	fs := newFlags("user add")
	fs.StringVar(&in.tenant, "tenant", "", "the tenant's slug (required)")
	fs.StringVar(&in.email, "email", "", "the user's email address")
	fs.StringVar(&in.phone, "phone", "", "the user's phone number (the tenant's default region applies)")
	fs.StringVar(&in.name, "name", "", "the user's name (required)")
	fs.StringVar(&in.role, "role", string(convene.RoleMember), "member, session_admin or admin")
	fs.StringVar(&in.password, "password", "", "the user's password (default: print a set-password link)")
	cfg.bindDB(fs)
	cfg.bindPublicURL(fs)
	if err := a.parse(fs, args, "tenant", "name"); err != nil {
		return err
	}
	if err := checkUserInput(&in); err != nil {
		return err
	}
	publicURL, err := cfg.publicURL(defaultAddr)
	if err != nil {
		return err
	}
	hash, err := hashPassword("password", in.password)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	tenant, err := findTenant(ctx, store, in.tenant)
	if err != nil {
		return err
	}
	u, err := newUser(tenant, &in, hash)
	if err != nil {
		return err
	}
	ctx = convene.NewSystemContext(ctx, tenant.ID)
	secret, err := createUser(ctx, store, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "added %s (%s, %s) to tenant %q\n", u.Name, u.Login(), u.Role, tenant.Slug)
	a.printSignIn(publicURL, tenant, u, secret)
	return nil
}

// createUser registers u, with a set-password link in the same transaction
// when u has no password; it returns the link's secret ("" when none).
func createUser(ctx context.Context, store convene.Store, u *convene.User) (string, error) {
	if u.PasswordHash != "" {
		return "", store.CreateUser(ctx, u)
	}
	return store.CreateUserWithPasswordLink(ctx, u, false)
}

// checkUserInput rejects what needs no tenant to be found wrong.
func checkUserInput(in *userInput) error {
	switch convene.Role(in.role) {
	case convene.RoleMember, convene.RoleSessionAdmin, convene.RoleAdmin:
	default:
		return convene.FieldErrorf("role", "must be member, session_admin or admin, got %q", in.role)
	}
	if strings.TrimSpace(in.email) == "" && strings.TrimSpace(in.phone) == "" {
		return convene.Errorf(convene.EINVALID, "give --email, --phone or both")
	}
	return nil
}

// newUser builds the user, with email and phone normalised by the tenant's
// settings (its default region, its phone alias domain).
func newUser(tenant *convene.Tenant, in *userInput, hash string) (*convene.User, error) {
	email, tel, err := parseLogins(tenant, "", in.email, in.phone)
	if err != nil {
		return nil, err
	}
	u := &convene.User{
		Name:         strings.TrimSpace(in.name),
		Email:        email,
		Phone:        tel,
		Role:         convene.Role(in.role),
		PasswordHash: hash,
	}
	return u, u.Validate()
}
