package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"convene"
)

// Fixture is one tenant in a store with its first Tenant Admin: the
// starting point of the conformance suite, and of the delivery, HTTP and
// command tests that need a tenant, its people and its sessions (in the
// spirit of pocketbase's tests.TestApp). Its methods fail the test on any
// error, so that a test reads as the story it checks.
type Fixture struct {
	Store  convene.Store
	Tenant *convene.Tenant
	Admin  *convene.User
	web    *apiServer // started by api on first use
}

// NewFixture creates tenant "acme" in store, with admin@acme.test as its
// admin; store is fresh, or at least has no tenant acme.
func NewFixture(t testing.TB, store convene.Store) *Fixture {
	t.Helper()
	return AddTenant(t, store, "acme")
}

// newFixture opens a fresh store and creates tenant "acme" in it.
func newFixture(t testing.TB, open Opener) *Fixture {
	t.Helper()
	return NewFixture(t, open(t))
}

// AddTenant creates another tenant, slug, in store, with admin@<slug>.test
// as its admin.
func AddTenant(t testing.TB, store convene.Store, slug string) *Fixture {
	t.Helper()
	tenant := &convene.Tenant{
		Slug:          slug,
		Name:          "Tenant " + slug,
		DefaultRegion: "US",
		InvitationTTL: convene.DefaultInvitationTTL,
	}
	admin := &convene.User{Name: "Admin " + slug, Email: "admin@" + slug + ".test", Role: convene.RoleAdmin}
	return AddTenantWith(t, store, tenant, admin)
}

// AddTenantWith creates tenant with its first admin in store as given, so
// that the store's defaults fill in whatever the caller left unset.
func AddTenantWith(t testing.TB, store convene.Store, tenant *convene.Tenant, admin *convene.User) *Fixture {
	t.Helper()
	if err := store.CreateTenant(context.Background(), tenant, admin); err != nil {
		t.Fatalf("CreateTenant(%q): %v", tenant.Slug, err)
	}
	if tenant.ID == 0 || admin.ID == 0 {
		t.Fatalf("CreateTenant(%q) left ids unset: tenant %d, admin %d", tenant.Slug, tenant.ID, admin.ID)
	}
	return &Fixture{Store: store, Tenant: tenant, Admin: admin}
}

// Sys is a context in which the system acts inside the fixture's tenant.
func (f *Fixture) Sys() context.Context {
	return convene.NewSystemContext(context.Background(), f.Tenant.ID)
}

// As is a context in which u acts.
func As(u *convene.User) context.Context {
	return convene.NewContextWithUser(context.Background(), u)
}

// User registers a user; email or phone may be "" (a phone must be E.164
// or parse in the tenant's region).
func (f *Fixture) User(t testing.TB, name, email, phone string, role convene.Role) *convene.User {
	t.Helper()
	u := &convene.User{Name: name, Email: email, Phone: phone, Role: role}
	if err := f.Store.CreateUser(f.Sys(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

// Member registers a member called name, with email <name>@<slug>.test.
func (f *Fixture) Member(t testing.TB, name string) *convene.User {
	t.Helper()
	return f.User(t, name, name+"@"+f.Tenant.Slug+".test", "", convene.RoleMember)
}

// Users registers n members named <prefix>N with email <prefix>N@<slug>.test.
func (f *Fixture) Users(t testing.TB, prefix string, n int) []*convene.User {
	t.Helper()
	us := make([]*convene.User, n)
	for i := range us {
		us[i] = f.Member(t, fmt.Sprintf("%s%d", prefix, i))
	}
	return us
}

// Session creates a session owned by owner.
func (f *Fixture) Session(t testing.TB, owner *convene.User, title string) *convene.Session {
	t.Helper()
	s := &convene.Session{Title: title}
	if err := f.Store.CreateSession(As(owner), s); err != nil {
		t.Fatalf("CreateSession(%q): %v", title, err)
	}
	return s
}

// Sessions creates n sessions owned by owner, titled "Session <i>".
func (f *Fixture) Sessions(t testing.TB, owner *convene.User, n int) []*convene.Session {
	t.Helper()
	ss := make([]*convene.Session, n)
	for i := range ss {
		ss[i] = f.Session(t, owner, fmt.Sprintf("Session %d", i))
	}
	return ss
}

// Disable disables u and returns the user as the store now has it.
func (f *Fixture) Disable(t testing.TB, u *convene.User) *convene.User {
	t.Helper()
	yes := true
	got, err := f.Store.UpdateUser(f.Sys(), u.ID, convene.UserUpdate{Disabled: &yes})
	if err != nil {
		t.Fatalf("UpdateUser(disable %d): %v", u.ID, err)
	}
	return got
}

// wantMemberCounts fails t unless each session's MemberCount (kept by
// the store with every change of membership) is its number of members.
func (f *Fixture) wantMemberCounts(t testing.TB, sessions ...*convene.Session) {
	t.Helper()
	for _, s := range sessions {
		got, err := f.Store.FindSessionByID(f.Sys(), s.ID)
		if err != nil {
			t.Fatalf("FindSessionByID(%d): %v", s.ID, err)
		}
		if want := len(f.Access(t, s.ID)); got.MemberCount != want {
			t.Errorf("session %d: member count %d, want its %d members", s.ID, got.MemberCount, want)
		}
	}
}

// Access returns the map user id -> access of a session's members.
func (f *Fixture) Access(t testing.TB, sessionID int64) map[int64]convene.Access {
	t.Helper()
	ms, err := f.Store.Members(f.Sys(), sessionID)
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

// SessionAdmin registers a Session Admin called name, with email
// <name>@<slug>.test.
func (f *Fixture) SessionAdmin(t testing.TB, name string) *convene.User {
	t.Helper()
	return f.User(t, name, name+"@"+f.Tenant.Slug+".test", "", convene.RoleSessionAdmin)
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
