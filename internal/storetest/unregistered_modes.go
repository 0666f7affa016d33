package storetest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"convene"
	"convene/internal/auth"
)

// userCount is the number of users of the Fixture's tenant.
func (f *Fixture) userCount(t testing.TB) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		page, next, err := f.Store.FindUsers(f.Sys(), convene.UserFilter{Limit: 100, Cursor: cursor})
		if err != nil {
			t.Fatalf("FindUsers: %v", err)
		}
		n += len(page)
		if next == "" {
			return n
		}
		cursor = next
	}
}

func testRegisterAllOrNothing(t *testing.T, open Opener) {
	f := newFixture(t, open)
	known := f.Member(t, "kim")
	ss := f.Sessions(t, f.Admin, 2)
	before, users := f.take(t, ids(ss)), f.userCount(t)
	req := convene.GrantRequest{SessionIDs: ids(ss), Contacts: []string{known.Email, "ann@acme.test", "bob@"}, Unregistered: convene.UnregisteredRegister}
	_, err := f.Store.Grant(As(f.Admin), req)
	wantCode(t, err, convene.EINVALID)
	req.Contacts = []string{known.Email, "ann@acme.test", "\"" + strings.Repeat("N", 300) + "\" <zed@acme.test>"}
	_, err = f.Store.Grant(As(f.Admin), req)
	wantEntry(t, err, 2, req.Contacts[2])
	f.same(t, before, ids(ss))
	if got := f.userCount(t); got != users {
		t.Errorf("%d users after refused calls, want %d: nothing registered", got, users)
	}
	req.Contacts = []string{known.Email, "Ann Able <ann@acme.test>"}
	b := f.Grant(t, f.Admin, req)
	ann := b.Results[1]
	if ann.Status != convene.StatusRegisteredNow || b.Counts.Added != 4 || b.Counts.RegisteredNow != 1 {
		t.Fatalf("results %+v, counts %+v", b.Results, b.Counts)
	}
	u, err := f.Store.FindUserByID(f.Sys(), ann.UserID)
	if err != nil || u.Name != "Ann Able" || u.Role != convene.RoleMember {
		t.Errorf("registered = %+v, %v; want member Ann Able", u, err)
	}
	f.wantAccess(t, ann.UserID, convene.AccessCollaborate, ids(ss)...)
	links := 0
	for _, j := range f.Jobs(t) {
		if j.Kind == convene.JobSetPassword {
			links++
		}
	}
	if links != 1 {
		t.Errorf("%d set-password messages, want 1 for the one registered", links)
	}
}

func testModeRoles(t *testing.T, open Opener) {
	f := newFixture(t, open)
	sa := f.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
	s := f.Session(t, f.Admin, "Plans")
	req := func(mode convene.UnregisteredMode) convene.GrantRequest {
		return convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{"x@acme.test"}, Unregistered: mode}
	}
	_, err := f.Store.Grant(As(sa), req(convene.UnregisteredRegister))
	wantCode(t, err, convene.EFORBIDDEN)
	_, err = f.Store.Grant(As(sa), req("everyone"))
	wantCode(t, err, convene.EINVALID)
	no := false
	if _, err := f.Store.UpdateTenant(f.Sys(), convene.TenantUpdate{GuestsAllowed: &no}); err != nil {
		t.Fatalf("UpdateTenant: %v", err)
	}
	_, err = f.Store.Grant(As(sa), req(convene.UnregisteredGuest))
	wantCode(t, err, convene.EINVALID)
	key := req(convene.UnregisteredRequest)
	key.IdempotencyKey = "k1"
	f.Grant(t, sa, key)
	key.Unregistered = convene.UnregisteredSkip
	_, err = f.Store.Grant(As(sa), key)
	wantCode(t, err, convene.ECONFLICT) // the mode is part of the request
}

func testGuestOneLinkManySessions(t *testing.T, open Opener) {
	c := newClocked(t, open)
	ss := c.Sessions(t, c.Admin, 3)
	b := c.Grant(t, c.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: []string{"gail@else.test"}, Access: convene.AccessView,
		Unregistered: convene.UnregisteredGuest})
	if r := b.Results[0]; r.Status != convene.StatusInvited || r.InvitationID == 0 || b.Counts.Invited != 1 {
		t.Fatalf("guest-mode result = %+v", r)
	}
	tokens := c.tokens(t)
	if len(tokens) != 1 {
		t.Fatalf("%d links sent, want one for all 3 sessions", len(tokens))
	}
	if pending, err := c.Store.FindInvitations(As(c.Admin), convene.InvitationFilter{}); err != nil || len(pending) != 1 ||
		pending[0].SessionID != ss[0].ID || pending[0].OtherSessions != 2 {
		t.Fatalf("FindInvitations = %+v, %v; want one invitation to %d and 2 other sessions", pending, err, ss[0].ID)
	}
	acc, err := c.Store.AcceptInvitation(context.Background(), auth.HashSecret(onlyToken(tokens)), "Gail", "hash")
	if err != nil || acc.User.Role != convene.RoleGuest {
		t.Fatalf("AcceptInvitation = %+v, %v", acc, err)
	}
	c.wantAccess(t, acc.User.ID, convene.AccessView, ids(ss)...)
	again, err := c.Store.FindBatch(As(c.Admin), b.ID)
	if err != nil || again.Results[0].InvitationID != b.Results[0].InvitationID {
		t.Errorf("stored result = %+v, %v; want the invitation id kept", again, err)
	}
}

func testPreview(t *testing.T, open Opener) {
	f := newFixture(t, open)
	people := f.Users(t, "p", 3)
	ss := f.Sessions(t, f.Admin, 3)
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{ss[0].ID}, Contacts: []string{people[0].Email}, Access: convene.AccessView})
	for _, mode := range []convene.UnregisteredMode{convene.UnregisteredSkip, convene.UnregisteredRequest, convene.UnregisteredRegister} {
		req := convene.GrantRequest{SessionIDs: ids(ss), Contacts: append(emails(people), "new@acme.test", "Zoe <zoe@acme.test>"), Unregistered: mode}
		before, users, asked := f.take(t, ids(ss)), f.userCount(t), len(f.requests(t, ""))
		dry := req
		dry.DryRun = true
		preview, err := f.Store.Grant(As(f.Admin), dry)
		if err != nil {
			t.Fatalf("preview (%s): %v", mode, err)
		}
		f.same(t, before, ids(ss))
		if got := f.userCount(t); got != users || len(f.requests(t, "")) != asked {
			t.Errorf("preview (%s) wrote users or requests", mode)
		}
		real := f.Grant(t, f.Admin, req)
		if preview.ID != 0 || !reflect.DeepEqual(preview.Counts, real.Counts) || !sameResults(preview.Results, real.Results) {
			t.Errorf("preview (%s) = %+v %+v, real call = %+v %+v", mode, preview.Counts, preview.Results, real.Counts, real.Results)
		}
		if _, err := f.Store.UndoBatch(As(f.Admin), real.ID); err != nil {
			t.Fatalf("UndoBatch: %v", err)
		}
	}
}

// sameResults compares results but the ids only the real call makes.
func sameResults(a, b []convene.BatchResult) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Status == convene.StatusRegisteredNow || x.Status == convene.StatusRequested {
			x.UserID, y.UserID, x.RequestID, y.RequestID = 0, 0, 0, 0
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}
