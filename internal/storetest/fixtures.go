package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"convene"
)

// fixture is one tenant in a fresh store, with its first Tenant Admin.
type fixture struct {
	store  convene.Store
	tenant *convene.Tenant
	admin  *convene.User
	web    *apiServer // started by api on first use
}

// newFixture opens a fresh store and creates tenant "acme" in it.
func newFixture(t testing.TB, open Opener) *fixture {
	t.Helper()
	store := open(t)
	return addTenant(t, store, "acme")
}

// addTenant creates another tenant, slug, in store, with admin@<slug>.test
// as its admin.
func addTenant(t testing.TB, store convene.Store, slug string) *fixture {
	t.Helper()
	tenant := &convene.Tenant{
		Slug:          slug,
		Name:          "Tenant " + slug,
		DefaultRegion: "US",
		InvitationTTL: convene.DefaultInvitationTTL,
	}
	admin := &convene.User{Name: "Admin " + slug, Email: "admin@" + slug + ".test", Role: convene.RoleAdmin}
	return addTenantWith(t, store, tenant, admin)
}

// addTenantWith creates tenant with its first admin in store as given, so
// that the store's defaults fill in whatever the caller left unset.
func addTenantWith(t testing.TB, store convene.Store, tenant *convene.Tenant, admin *convene.User) *fixture {
	t.Helper()
	if err := store.CreateTenant(context.Background(), tenant, admin); err != nil {
		t.Fatalf("CreateTenant(%q): %v", tenant.Slug, err)
	}
	if tenant.ID == 0 || admin.ID == 0 {
		t.Fatalf("CreateTenant(%q) left ids unset: tenant %d, admin %d", tenant.Slug, tenant.ID, admin.ID)
	}
	return &fixture{store: store, tenant: tenant, admin: admin}
}

// sys is a context in which the system acts inside the fixture's tenant.
func (f *fixture) sys() context.Context {
	return convene.NewSystemContext(context.Background(), f.tenant.ID)
}

// as is a context in which u acts.
func as(u *convene.User) context.Context {
	return convene.NewContextWithUser(context.Background(), u)
}

// user registers a user; phone may be "" (it must be E.164 otherwise).
func (f *fixture) user(t testing.TB, name, email, phone string, role convene.Role) *convene.User {
	t.Helper()
	u := &convene.User{Name: name, Email: email, Phone: phone, Role: role}
	if err := f.store.CreateUser(f.sys(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

// member registers a member called name, with email <name>@<slug>.test.
func (f *fixture) member(t testing.TB, name string) *convene.User {
	t.Helper()
	return f.user(t, name, name+"@"+f.tenant.Slug+".test", "", convene.RoleMember)
}

// users registers n members named <prefix>N with email <prefix>N@<slug>.test.
func (f *fixture) users(t testing.TB, prefix string, n int) []*convene.User {
	t.Helper()
	us := make([]*convene.User, n)
	for i := range us {
		us[i] = f.member(t, fmt.Sprintf("%s%d", prefix, i))
	}
	return us
}

// session creates a session owned by owner.
func (f *fixture) session(t testing.TB, owner *convene.User, title string) *convene.Session {
	t.Helper()
	s := &convene.Session{Title: title}
	if err := f.store.CreateSession(as(owner), s); err != nil {
		t.Fatalf("CreateSession(%q): %v", title, err)
	}
	return s
}

// sessions creates n sessions owned by owner.
func (f *fixture) sessions(t testing.TB, owner *convene.User, n int) []*convene.Session {
	t.Helper()
	ss := make([]*convene.Session, n)
	for i := range ss {
		ss[i] = f.session(t, owner, fmt.Sprintf("Session %d", i))
	}
	return ss
}

// disable disables u and returns the user as the store now has it.
func (f *fixture) disable(t testing.TB, u *convene.User) *convene.User {
	t.Helper()
	yes := true
	got, err := f.store.UpdateUser(f.sys(), u.ID, convene.UserUpdate{Disabled: &yes})
	if err != nil {
		t.Fatalf("UpdateUser(disable %d): %v", u.ID, err)
	}
	return got
}

// access returns the map user id -> access of a session's members.
func (f *fixture) access(t testing.TB, sessionID int64) map[int64]convene.Access {
	t.Helper()
	ms, err := f.store.Members(f.sys(), sessionID)
	if err != nil {
		t.Fatalf("Members(%d): %v", sessionID, err)
	}
	got := make(map[int64]convene.Access, len(ms))
	for _, m := range ms {
		if _, dup := got[m.UserID]; dup {
			t.Errorf("Members(%d): user %d listed twice", sessionID, m.UserID)
		}
		got[m.UserID] = m.Access
	}
	return got
}

// ids returns the ids of sessions.
func ids(ss []*convene.Session) []int64 {
	out := make([]int64, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

// emails returns the emails of users.
func emails(us []*convene.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Email
	}
	return out
}

// wantCode fails t unless err carries the code want.
func wantCode(t testing.TB, err error, want string) {
	t.Helper()
	if got := convene.ErrorCode(err); got != want {
		t.Errorf("error code = %q (%v), want %q", got, err, want)
	}
}

// wantRefused fails t unless err is a refusal with one of the codes want:
// for rules whose exact code the contract leaves open.
func wantRefused(t testing.TB, err error, want ...string) {
	t.Helper()
	if got := convene.ErrorCode(err); !slices.Contains(want, got) {
		t.Errorf("error code = %q (%v), want one of %q", got, err, want)
	}
}
