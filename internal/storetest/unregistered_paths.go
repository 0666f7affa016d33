package storetest

import (
	"context"
	"strings"
	"testing"

	"convene"
	"convene/internal/auth"
)

// registration is one way a person with contact comes to exist; it
// returns their id.
type registration struct {
	name     string
	register func(t *testing.T, c *clocked, contact string) int64
}

// registrations are all the ways a user comes to exist today.
var registrations = []registration{
	{"CreateUser", func(t *testing.T, c *clocked, contact string) int64 {
		return c.User(t, "New", contact, "", convene.RoleMember).ID
	}},
	{"CreateUserWithPasswordLink", func(t *testing.T, c *clocked, contact string) int64 {
		u := &convene.User{Name: "New", Email: contact, Role: convene.RoleMember}
		if _, err := c.Store.CreateUserWithPasswordLink(As(c.Admin), u, true); err != nil {
			t.Fatalf("CreateUserWithPasswordLink: %v", err)
		}
		return u.ID
	}},
	{"ApproveAccessRequests", func(t *testing.T, c *clocked, contact string) int64 {
		got, err := c.Store.ApproveAccessRequests(As(c.Admin), []int64{c.requests(t, convene.RequestPending)[0].ID})
		if err != nil || len(got) != 1 || got[0].DecidedBy != c.Admin.ID {
			t.Fatalf("ApproveAccessRequests = %+v, %v", got, err)
		}
		return got[0].UserID
	}},
	{"ImportUsers", func(t *testing.T, c *clocked, contact string) int64 {
		rows := []convene.ImportRow{{Row: 2, Email: contact, Name: "New", Role: convene.RoleMember}}
		res, err := c.Store.ImportUsers(As(c.Admin), rows, false)
		if err != nil || res.Created != 1 {
			t.Fatalf("ImportUsers = %+v, %v", res, err)
		}
		return res.Rows[0].UserID
	}},
	{"RegisterMode", func(t *testing.T, c *clocked, contact string) int64 {
		s := c.Session(t, c.Admin, "Elsewhere")
		b := c.Grant(t, c.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{contact}, Unregistered: convene.UnregisteredRegister})
		if r := b.Results[0]; r.Status != convene.StatusRegisteredNow || r.UserID == 0 || b.Counts.RegisteredNow != 1 {
			t.Fatalf("register-mode result = %+v", r)
		}
		return b.Results[0].UserID
	}},
	{"GuestAcceptsInvitation", func(t *testing.T, c *clocked, contact string) int64 {
		s := c.Session(t, c.Admin, "Guest room")
		c.tokens(t) // earlier links out of the way
		c.Invite(t, c.Admin, s, convene.AccessView, contact)
		acc, err := c.Store.AcceptInvitation(context.Background(), auth.HashSecret(onlyToken(c.tokens(t))), "Guest", "hash")
		if err != nil {
			t.Fatalf("AcceptInvitation: %v", err)
		}
		return acc.User.ID
	}},
}

func testRequestGrantedByEachPath(t *testing.T, open Opener) {
	for _, path := range registrations {
		t.Run(path.name, func(t *testing.T) {
			c := newClocked(t, open)
			sa := c.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
			ss := c.Sessions(t, c.Admin, 2)
			b := c.ask(t, sa, ids(ss), convene.AccessCollaborate, "Neo New <neo@acme.test>")
			id := path.register(t, c, "neo@acme.test")
			c.wantAccess(t, id, convene.AccessCollaborate, ids(ss)...)
			if got := c.requests(t, convene.RequestGranted); len(got) != 1 || got[0].UserID != id || got[0].BatchID != b.ID {
				t.Errorf("granted requests = %+v, want one for user %d of batch %d", got, id, b.ID)
			}
			if got := c.grantedJobs(t, id); got != 1 {
				t.Errorf("%d access_granted messages, want 1", got)
			}
			if n := len(c.auditEvents(t, convene.AuditFilter{BatchID: b.ID, UserID: id})); n != 2 {
				t.Errorf("%d audit events under batch %d, want 2", n, b.ID)
			}
		})
	}
}

func testRequestListApproveDecline(t *testing.T, open Opener) {
	f := newFixture(t, open)
	sa := f.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
	other := f.User(t, "Sue", "sue@acme.test", "", convene.RoleSessionAdmin)
	s := f.Session(t, f.Admin, "Plans")
	f.ask(t, sa, []int64{s.ID}, convene.AccessView, "a@acme.test", "b@acme.test", "c@acme.test")
	f.ask(t, other, []int64{s.ID}, convene.AccessView, "d@acme.test")
	mine, _, err := f.Store.FindAccessRequests(As(sa), convene.AccessRequestFilter{Limit: 10})
	if err != nil || len(mine) != 3 {
		t.Fatalf("Session Admin sees %d requests (%v), want their 3", len(mine), err)
	}
	page, next, err := f.Store.FindAccessRequests(As(f.Admin), convene.AccessRequestFilter{Limit: 3})
	if err != nil || len(page) != 3 || next == "" || page[0].Contact != "d@acme.test" || page[0].Sessions[0].Title != "Plans" {
		t.Fatalf("first page = %d items, next %q, %v; want the newest 3", len(page), next, err)
	}
	rest, next, _ := f.Store.FindAccessRequests(As(f.Admin), convene.AccessRequestFilter{Cursor: next, Limit: 3})
	if len(rest) != 1 || next != "" {
		t.Errorf("second page = %d items, next %q; want 1 and the end", len(rest), next)
	}
	_, _, err = f.Store.FindAccessRequests(As(f.Member(t, "mo")), convene.AccessRequestFilter{})
	wantCode(t, err, convene.EFORBIDDEN)
	_, err = f.Store.ApproveAccessRequests(As(sa), []int64{mine[0].ID})
	wantCode(t, err, convene.EFORBIDDEN) // registering people is the Tenant Admin's
	_, err = f.Store.DeclineAccessRequests(As(sa), []int64{mine[0].ID, page[0].ID})
	wantCode(t, err, convene.ENOTFOUND) // not their own: all or none
	if got, err := f.Store.DeclineAccessRequests(As(sa), []int64{mine[0].ID}); err != nil || got[0].Status != convene.RequestDeclined {
		t.Fatalf("DeclineAccessRequests = %+v, %v", got, err)
	}
	before := len(f.requests(t, convene.RequestPending))
	_, err = f.Store.ApproveAccessRequests(As(f.Admin), []int64{mine[1].ID, mine[0].ID})
	wantCode(t, err, convene.EUNAVAILABLE)
	if after := len(f.requests(t, convene.RequestPending)); after != before {
		t.Errorf("%d pending after a refused approval, want %d: all or none", after, before)
	}
	got, err := f.Store.ApproveAccessRequests(As(f.Admin), []int64{mine[1].ID, mine[2].ID})
	if err != nil || len(got) != 2 || got[0].Status != convene.RequestGranted || got[0].UserID == 0 {
		t.Fatalf("ApproveAccessRequests = %+v, %v", got, err)
	}
	u, err := f.Store.FindUserByID(f.Sys(), got[0].UserID)
	if err != nil || u.Role != convene.RoleMember || !strings.HasSuffix(u.Email, "@acme.test") {
		t.Errorf("approved person = %+v, %v; want a member with the contact", u, err)
	}
}
