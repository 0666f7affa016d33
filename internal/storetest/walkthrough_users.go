package storetest

import (
	"context"
	"fmt"
	"testing"

	"convene"
)

// testTenantAndUsers walks through a tenant's creation, its users, their
// lookup across tenants, their updates and their paging.
func testTenantAndUsers(t *testing.T, open Opener) {
	f := newAcme(t, open)
	if f.Admin.Role != convene.RoleAdmin || f.Tenant.InvitationTTL != convene.DefaultInvitationTTL || f.Tenant.DefaultRegion != "US" {
		t.Fatalf("defaults not applied: %+v %+v", f.Tenant, f.Admin)
	}
	err := f.Store.CreateTenant(context.Background(), &convene.Tenant{Slug: "acme", Name: "Again"}, &convene.User{Name: "X", Email: "x@x.test"})
	wantCode(t, err, convene.ECONFLICT)

	bob := f.Member(t, "bob")
	wantCode(t, f.Store.CreateUser(f.Sys(), &convene.User{Name: "Bob 2", Email: "bob@acme.test", Role: convene.RoleMember}), convene.ECONFLICT)
	wantCode(t, f.Store.CreateUser(As(bob), &convene.User{Name: "Eve", Email: "eve@acme.test", Role: convene.RoleMember}), convene.EFORBIDDEN)
	wantCode(t, f.Store.CreateUser(f.Sys(), &convene.User{Name: "Eve", Email: "eve@acme.test\r\nBcc: x", Role: convene.RoleMember}), convene.EINVALID)

	got, err := f.Store.FindUserByLogin(f.Sys(), "bob@acme.test")
	if err != nil || got.ID != bob.ID {
		t.Fatalf("FindUserByLogin: %v %v", got, err)
	}
	other := AddTenantWith(t, f.Store, &convene.Tenant{Slug: "other", Name: "Other"}, &convene.User{Name: "Oz", Email: "bob@acme.test"})
	_, err = f.Store.FindUserByID(other.Sys(), bob.ID)
	wantCode(t, err, convene.ENOTFOUND)
	found, err := f.Store.FindUsersByContacts(f.Sys(), []string{"bob@acme.test"}, nil)
	if err != nil || len(found) != 1 || found[0].ID != bob.ID {
		t.Fatalf("FindUsersByContacts: %v %v", found, err)
	}

	name := "Bobby"
	if _, err := f.Store.UpdateUser(As(bob), bob.ID, convene.UserUpdate{Name: &name}); err != nil {
		t.Fatalf("self rename: %v", err)
	}
	admin := convene.RoleAdmin
	_, err = f.Store.UpdateUser(As(bob), bob.ID, convene.UserUpdate{Role: &admin})
	wantCode(t, err, convene.EFORBIDDEN)
	member := convene.RoleMember
	_, err = f.Store.UpdateUser(As(f.Admin), f.Admin.ID, convene.UserUpdate{Role: &member})
	wantCode(t, err, convene.ECONFLICT)

	users, next, err := f.Store.FindUsers(As(bob), convene.UserFilter{Limit: 1})
	if err != nil || len(users) != 1 || next == "" {
		t.Fatalf("FindUsers page 1: %v %q %v", users, next, err)
	}
	users, next, err = f.Store.FindUsers(As(bob), convene.UserFilter{Limit: 1, Cursor: next})
	if err != nil || len(users) != 1 || next != "" || users[0].Name != "Bobby" {
		t.Fatalf("FindUsers page 2: %v %q %v", users, next, err)
	}
}

// testSessionsWalkthrough walks through who sees a session, paging newest
// first, queries with LIKE's wildcards taken literally, and deletion.
func testSessionsWalkthrough(t *testing.T, open Opener) {
	f := newAcme(t, open)
	olga := f.Member(t, "olga")
	carl := f.Member(t, "carl")
	var ss []*convene.Session
	for i := range 5 {
		ss = append(ss, f.Session(t, olga, fmt.Sprintf("Plan_%d 100%%", i)))
	}
	got, err := f.Store.FindSessionByID(As(olga), ss[0].ID)
	if err != nil || got.MyAccess != convene.AccessOwner || got.MemberCount != 1 || got.Owner.ID != olga.ID {
		t.Fatalf("FindSessionByID: %+v %v", got, err)
	}
	_, err = f.Store.FindSessionByID(As(carl), ss[0].ID)
	wantCode(t, err, convene.ENOTFOUND)
	_, err = f.Store.UpdateSession(As(carl), ss[0].ID, convene.SessionUpdate{})
	wantCode(t, err, convene.ENOTFOUND)

	var all []*convene.Session
	cursor := ""
	for {
		page, next, err := f.Store.FindSessions(As(f.Admin), convene.SessionFilter{Limit: 2, Cursor: cursor})
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
		page, _, err := f.Store.FindSessions(As(olga), convene.SessionFilter{Query: q.q})
		if err != nil || len(page) != q.want {
			t.Errorf("query %q: %d sessions, want %d (%v)", q.q, len(page), q.want, err)
		}
	}
	mine, _, err := f.Store.FindSessions(As(carl), convene.SessionFilter{})
	if err != nil || len(mine) != 0 {
		t.Fatalf("carl sees %d sessions", len(mine))
	}
	if err := f.Store.DeleteSession(As(olga), ss[0].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	_, err = f.Store.FindSessionByID(As(olga), ss[0].ID)
	wantCode(t, err, convene.ENOTFOUND)
}
