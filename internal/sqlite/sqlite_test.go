package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
)

type env struct {
	db     *sqlstore.DB
	tenant *convene.Tenant
	admin  *convene.User
}

func setup(t testing.TB) *env {
	t.Helper()
	db := sqlite.OpenTestDB(t)
	tenant := &convene.Tenant{Slug: "acme", Name: "Acme", GuestsAllowed: true}
	admin := &convene.User{Name: "Ada", Email: "ada@acme.test"}
	if err := db.CreateTenant(context.Background(), tenant, admin); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}
	return &env{db: db, tenant: tenant, admin: admin}
}

func (e *env) sys() context.Context {
	return convene.NewSystemContext(context.Background(), e.tenant.ID)
}

func as(u *convene.User) context.Context { return convene.NewContextWithUser(context.Background(), u) }

func (e *env) user(t testing.TB, name string, role convene.Role) *convene.User {
	t.Helper()
	u := &convene.User{Name: name, Email: name + "@acme.test", Role: role}
	if err := e.db.CreateUser(e.sys(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

func (e *env) session(t testing.TB, owner *convene.User, title string) *convene.Session {
	t.Helper()
	s := &convene.Session{Title: title}
	if err := e.db.CreateSession(as(owner), s); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return s
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := convene.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func TestTenantAndUsers(t *testing.T) {
	e := setup(t)
	if e.admin.Role != convene.RoleAdmin || e.tenant.InvitationTTL != convene.DefaultInvitationTTL || e.tenant.DefaultRegion != "US" {
		t.Fatalf("defaults not applied: %+v %+v", e.tenant, e.admin)
	}
	err := e.db.CreateTenant(context.Background(), &convene.Tenant{Slug: "acme", Name: "Again"}, &convene.User{Name: "X", Email: "x@x.test"})
	wantCode(t, err, convene.ECONFLICT)

	bob := e.user(t, "bob", convene.RoleMember)
	wantCode(t, e.db.CreateUser(e.sys(), &convene.User{Name: "Bob 2", Email: "bob@acme.test", Role: convene.RoleMember}), convene.ECONFLICT)
	wantCode(t, e.db.CreateUser(as(bob), &convene.User{Name: "Eve", Email: "eve@acme.test", Role: convene.RoleMember}), convene.EFORBIDDEN)
	wantCode(t, e.db.CreateUser(e.sys(), &convene.User{Name: "Eve", Email: "eve@acme.test\r\nBcc: x", Role: convene.RoleMember}), convene.EINVALID)

	got, err := e.db.FindUserByLogin(e.sys(), "bob@acme.test")
	if err != nil || got.ID != bob.ID {
		t.Fatalf("FindUserByLogin: %v %v", got, err)
	}
	other := &env{db: e.db}
	other.tenant = &convene.Tenant{Slug: "other", Name: "Other"}
	other.admin = &convene.User{Name: "Oz", Email: "bob@acme.test"}
	if err := e.db.CreateTenant(context.Background(), other.tenant, other.admin); err != nil {
		t.Fatalf("second tenant with the same email: %v", err)
	}
	_, err = e.db.FindUserByID(other.sys(), bob.ID)
	wantCode(t, err, convene.ENOTFOUND)
	found, err := e.db.FindUsersByContacts(e.sys(), []string{"bob@acme.test"}, nil)
	if err != nil || len(found) != 1 || found[0].ID != bob.ID {
		t.Fatalf("FindUsersByContacts: %v %v", found, err)
	}

	name := "Bobby"
	if _, err := e.db.UpdateUser(as(bob), bob.ID, convene.UserUpdate{Name: &name}); err != nil {
		t.Fatalf("self rename: %v", err)
	}
	admin := convene.RoleAdmin
	_, err = e.db.UpdateUser(as(bob), bob.ID, convene.UserUpdate{Role: &admin})
	wantCode(t, err, convene.EFORBIDDEN)
	member := convene.RoleMember
	_, err = e.db.UpdateUser(as(e.admin), e.admin.ID, convene.UserUpdate{Role: &member})
	wantCode(t, err, convene.ECONFLICT)

	users, next, err := e.db.FindUsers(as(bob), convene.UserFilter{Limit: 1})
	if err != nil || len(users) != 1 || next == "" {
		t.Fatalf("FindUsers page 1: %v %q %v", users, next, err)
	}
	users, next, err = e.db.FindUsers(as(bob), convene.UserFilter{Limit: 1, Cursor: next})
	if err != nil || len(users) != 1 || next != "" || users[0].Name != "Bobby" {
		t.Fatalf("FindUsers page 2: %v %q %v", users, next, err)
	}
}

func TestSessions(t *testing.T) {
	e := setup(t)
	olga := e.user(t, "olga", convene.RoleMember)
	carl := e.user(t, "carl", convene.RoleMember)
	var ss []*convene.Session
	for i := range 5 {
		ss = append(ss, e.session(t, olga, fmt.Sprintf("Plan_%d 100%%", i)))
	}
	got, err := e.db.FindSessionByID(as(olga), ss[0].ID)
	if err != nil || got.MyAccess != convene.AccessOwner || got.MemberCount != 1 || got.Owner.ID != olga.ID {
		t.Fatalf("FindSessionByID: %+v %v", got, err)
	}
	_, err = e.db.FindSessionByID(as(carl), ss[0].ID)
	wantCode(t, err, convene.ENOTFOUND)
	_, err = e.db.UpdateSession(as(carl), ss[0].ID, convene.SessionUpdate{})
	wantCode(t, err, convene.ENOTFOUND)

	var all []*convene.Session
	cursor := ""
	for {
		page, next, err := e.db.FindSessions(as(e.admin), convene.SessionFilter{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatalf("FindSessions: %v", err)
		}
		all = append(all, page...)
		if cursor = next; cursor == "" {
			break
		}
	}
	if len(all) != 5 || all[0].ID != ss[4].ID || all[4].ID != ss[0].ID {
		t.Fatalf("FindSessions: %d sessions, not newest first", len(all))
	}
	for _, q := range []struct {
		q    string
		want int
	}{{"plan_3", 1}, {"_", 5}, {"0%", 5}, {"x%", 0}} {
		page, _, err := e.db.FindSessions(as(olga), convene.SessionFilter{Query: q.q})
		if err != nil || len(page) != q.want {
			t.Errorf("query %q: %d sessions, want %d (%v)", q.q, len(page), q.want, err)
		}
	}
	mine, _, err := e.db.FindSessions(as(carl), convene.SessionFilter{})
	if err != nil || len(mine) != 0 {
		t.Fatalf("carl sees %d sessions", len(mine))
	}
	if err := e.db.DeleteSession(as(olga), ss[0].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	_, err = e.db.FindSessionByID(as(olga), ss[0].ID)
	wantCode(t, err, convene.ENOTFOUND)
}

func TestGrantAndMembers(t *testing.T) {
	e := setup(t)
	olga := e.user(t, "olga", convene.RoleMember)
	carl := e.user(t, "carl", convene.RoleMember)
	vera := e.user(t, "vera", convene.RoleMember)
	s1, s2 := e.session(t, olga, "One"), e.session(t, olga, "Two")
	req := convene.GrantRequest{SessionIDs: []int64{s1.ID, s2.ID, s1.ID}, Contacts: []string{"carl@acme.test", "nobody@acme.test", "CARL@acme.test"}, Access: convene.AccessView, IdempotencyKey: "k1"}
	b, err := e.db.Grant(as(e.admin), req)
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	if got, want := b.Counts, (convene.Counts{Added: 2, Skipped: 2}); got != want {
		t.Fatalf("counts %+v, want %+v", got, want)
	}
	again, err := e.db.Grant(as(e.admin), req)
	if err != nil || again.ID != b.ID || again.Counts != b.Counts {
		t.Fatalf("replay: %+v %v", again, err)
	}
	req2 := req
	req2.Access = convene.AccessCollaborate
	_, err = e.db.Grant(as(e.admin), req2)
	wantCode(t, err, convene.ECONFLICT)
	req2.IdempotencyKey = ""
	up, err := e.db.Grant(as(e.admin), req2)
	if err != nil || up.Counts != (convene.Counts{Upgraded: 2, Skipped: 2}) {
		t.Fatalf("upgrade: %+v %v", up, err)
	}
	_, err = e.db.Grant(as(e.admin), convene.GrantRequest{SessionIDs: []int64{s1.ID}, Contacts: []string{"carl@acme.test", "garbage"}})
	if ce := convene.AsError(err); ce == nil || ce.Code != convene.EINVALID || len(ce.Entries) != 1 || ce.Entries[0].Index != 1 {
		t.Fatalf("invalid entry: %v", err)
	}
	_, err = e.db.Grant(as(e.admin), convene.GrantRequest{SessionIDs: []int64{s1.ID, 99999}, Contacts: []string{"carl@acme.test"}})
	wantCode(t, err, convene.ENOTFOUND)
	_, err = e.db.Grant(as(olga), convene.GrantRequest{SessionIDs: []int64{s1.ID}, Contacts: []string{"carl@acme.test"}})
	wantCode(t, err, convene.EFORBIDDEN)

	fb, err := e.db.FindBatch(e.sys(), b.ID)
	if err != nil || len(fb.Results) != 3 || fb.Results[0].Outcomes[1] != convene.OutcomeAdded {
		t.Fatalf("FindBatch: %+v %v", fb, err)
	}
	_, err = e.db.FindBatch(as(olga), b.ID)
	wantCode(t, err, convene.ENOTFOUND)

	ms, err := e.db.Members(as(carl), s1.ID)
	if err != nil || len(ms) != 2 || ms[0].UserID != olga.ID || ms[1].Access != convene.AccessCollaborate {
		t.Fatalf("Members: %v", err)
	}
	_, err = e.db.SetAccess(as(carl), s1.ID, olga.ID, convene.AccessView)
	wantCode(t, err, convene.EFORBIDDEN)
	_, err = e.db.SetAccess(as(olga), s1.ID, olga.ID, convene.AccessView)
	wantCode(t, err, convene.ECONFLICT)
	if m, err := e.db.SetAccess(as(olga), s1.ID, carl.ID, convene.AccessView); err != nil || m.Access != convene.AccessView {
		t.Fatalf("SetAccess: %v", err)
	}
	wantCode(t, e.db.RemoveMember(as(olga), s1.ID, olga.ID), convene.ECONFLICT)
	if err := e.db.TransferOwnership(as(olga), s1.ID, vera.ID); err != nil {
		t.Fatalf("TransferOwnership: %v", err)
	}
	ms, _ = e.db.Members(e.sys(), s1.ID)
	if ms[0].UserID != vera.ID || ms[0].Access != convene.AccessOwner {
		t.Fatalf("after transfer: first member %d %s", ms[0].UserID, ms[0].Access)
	}
	if err := e.db.RemoveMember(as(vera), s1.ID, olga.ID); err != nil {
		t.Fatalf("RemoveMember: %v", err)
	}
	events, _, err := e.db.FindAuditEvents(e.sys(), convene.AuditFilter{BatchID: b.ID})
	if err != nil || len(events) != 2 {
		t.Fatalf("audit for batch: %d events, %v", len(events), err)
	}
	jobs, err := e.db.FindJobs(e.sys(), convene.JobFilter{})
	if err != nil || len(jobs) != 2 {
		t.Fatalf("jobs: %d, %v", len(jobs), err)
	}
}

func TestConcurrentGrants(t *testing.T) {
	e := setup(t)
	var ss []int64
	var contacts []string
	for i := range 10 {
		ss = append(ss, e.session(t, e.admin, "S"+strconv.Itoa(i)).ID)
		contacts = append(contacts, e.user(t, "u"+strconv.Itoa(i), convene.RoleMember).Email)
	}
	var wg sync.WaitGroup
	added := make([]int, 20)
	errs := make([]error, 20)
	for g := range 20 {
		wg.Go(func() {
			b, err := e.db.Grant(as(e.admin), convene.GrantRequest{SessionIDs: ss[g%5 : g%5+5], Contacts: contacts})
			if err == nil {
				added[g] = b.Counts.Added
			}
			errs[g] = err
		})
	}
	wg.Wait()
	total := 0
	for g := range 20 {
		if errs[g] != nil {
			t.Fatalf("grant %d: %v", g, errs[g])
		}
		total += added[g]
	}
	if total != 90 { // sessions 0-8 x 10 users
		t.Fatalf("%d pairs added in all, want 90", total)
	}
}

func TestAuthAndJobs(t *testing.T) {
	e := setup(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	e.db.SetClock(func() time.Time { return now })
	bob := e.user(t, "bob", convene.RoleMember)
	tok := &convene.Token{Name: "ci", Hash: "h1"}
	if err := e.db.CreateToken(as(bob), tok); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if u, err := e.db.AuthenticateToken(context.Background(), "h1"); err != nil || u.ID != bob.ID {
		t.Fatalf("AuthenticateToken: %v", err)
	}
	ls := &convene.LoginSession{Hash: "l1", TenantID: e.tenant.ID, UserID: bob.ID, ExpiresAt: now.Add(time.Hour)}
	if err := e.db.CreateLoginSession(context.Background(), ls); err != nil {
		t.Fatalf("CreateLoginSession: %v", err)
	}
	if _, _, err := e.db.AuthenticateLoginSession(context.Background(), "l1", now.Add(time.Minute), 10*time.Minute); err != nil {
		t.Fatalf("AuthenticateLoginSession: %v", err)
	}
	_, _, err := e.db.AuthenticateLoginSession(context.Background(), "l1", now.Add(12*time.Minute), 10*time.Minute)
	wantCode(t, err, convene.ENOTFOUND)
	yes := true
	if _, err := e.db.UpdateUser(e.sys(), bob.ID, convene.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatalf("disable: %v", err)
	}
	_, err = e.db.AuthenticateToken(context.Background(), "h1")
	wantCode(t, err, convene.ENOTFOUND)

	carl := e.user(t, "carl", convene.RoleMember)
	s := e.session(t, e.admin, "S")
	if _, err := e.db.Grant(as(e.admin), convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{carl.Email}}); err != nil {
		t.Fatalf("Grant: %v", err)
	}
	jobs, err := e.db.ClaimJobs(context.Background(), now, 10, time.Minute)
	if err != nil || len(jobs) != 1 || jobs[0].Attempts != 1 || jobs[0].Status != convene.JobRunning {
		t.Fatalf("ClaimJobs: %+v %v", jobs, err)
	}
	if again, _ := e.db.ClaimJobs(context.Background(), now, 10, time.Minute); len(again) != 0 {
		t.Fatalf("claimed a leased job twice")
	}
	if err := e.db.RetryJob(context.Background(), jobs[0].ID, "smtp down", now.Add(time.Second)); err != nil {
		t.Fatalf("RetryJob: %v", err)
	}
	jobs, _ = e.db.ClaimJobs(context.Background(), now.Add(2*time.Second), 10, time.Minute)
	if len(jobs) != 1 || jobs[0].Attempts != 2 {
		t.Fatalf("reclaim: %+v", jobs)
	}
	jobs[0].Channel, jobs[0].Recipient = "email", carl.Email
	if err := e.db.CompleteJob(context.Background(), jobs[0]); err != nil {
		t.Fatalf("CompleteJob: %v", err)
	}
}

// TestBigGrant grants 1,000 contacts x 1,000 sessions when
// CONVENE_BIG_GRANT is set (it takes a while).
func TestBigGrant(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CONVENE_BIG_GRANT"))
	if n == 0 {
		n = 100
	}
	e := setup(t)
	bigGrant(t, e.db, e.sys(), e.admin, n)
}

func bigGrant(t *testing.T, db *sqlstore.DB, sys context.Context, admin *convene.User, n int) {
	var ss []int64
	var contacts []string
	for i := range n {
		s := &convene.Session{Title: "S" + strconv.Itoa(i)}
		if err := db.CreateSession(as(admin), s); err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s.ID)
		u := &convene.User{Name: "u" + strconv.Itoa(i), Email: fmt.Sprintf("u%d@acme.test", i), Role: convene.RoleMember}
		if err := db.CreateUser(sys, u); err != nil {
			t.Fatal(err)
		}
		contacts = append(contacts, u.Email)
	}
	start := time.Now()
	b, err := db.Grant(as(admin), convene.GrantRequest{SessionIDs: ss, Contacts: contacts})
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	t.Logf("%dx%d grant: %v, counts %+v", n, n, time.Since(start), b.Counts)
	if b.Counts.Added != n*n {
		t.Fatalf("added %d, want %d", b.Counts.Added, n*n)
	}
	start = time.Now()
	b, err = db.Grant(as(admin), convene.GrantRequest{SessionIDs: ss, Contacts: contacts})
	if err != nil || b.Counts.Unchanged != n*n {
		t.Fatalf("second Grant: %+v %v", b.Counts, err)
	}
	t.Logf("%dx%d repeated grant: %v", n, n, time.Since(start))
}
