package storetest

import (
	"encoding/json"
	"strings"
	"testing"

	"convene"
)

// testUnregistered is the conformance of contract section 14: what a
// multi-invite does with people who are not registered yet.
func testUnregistered(t *testing.T, open Opener) {
	t.Run("RequestGrantedByEachPath", func(t *testing.T) { testRequestGrantedByEachPath(t, open) })
	t.Run("TwoRequestsOneContact", func(t *testing.T) { testTwoRequestsOneContact(t, open) })
	t.Run("RequestSessionDeleted", func(t *testing.T) { testRequestSessionDeleted(t, open) })
	t.Run("RequestRequesterDemoted", func(t *testing.T) { testRequestRequesterDemoted(t, open) })
	t.Run("RequestListApproveDecline", func(t *testing.T) { testRequestListApproveDecline(t, open) })
	t.Run("RegisterAllOrNothing", func(t *testing.T) { testRegisterAllOrNothing(t, open) })
	t.Run("ModeRoles", func(t *testing.T) { testModeRoles(t, open) })
	t.Run("GuestOneLinkManySessions", func(t *testing.T) { testGuestOneLinkManySessions(t, open) })
	t.Run("Preview", func(t *testing.T) { testPreview(t, open) })
	t.Run("BatchHistory", func(t *testing.T) { testBatchHistory(t, open) })
	t.Run("BatchPairsCSV", func(t *testing.T) { testBatchPairsCSV(t, open) })
	t.Run("Import", func(t *testing.T) { testImport(t, open) })
	t.Run("ImportHostile", func(t *testing.T) { testImportHostile(t, open) })
}

// ask makes a request-mode batch as actor for contacts into sessions.
func (f *Fixture) ask(t testing.TB, actor *convene.User, sessions []int64, access convene.Access, contacts ...string) *convene.Batch {
	t.Helper()
	return f.Grant(t, actor, convene.GrantRequest{SessionIDs: sessions, Contacts: contacts, Access: access, Unregistered: convene.UnregisteredRequest})
}

// requests lists the tenant's requests of status as its admin.
func (f *Fixture) requests(t testing.TB, status convene.AccessRequestStatus) []*convene.AccessRequest {
	t.Helper()
	items, _, err := f.Store.FindAccessRequests(As(f.Admin), convene.AccessRequestFilter{Status: status, Limit: 500})
	if err != nil {
		t.Fatalf("FindAccessRequests(%q): %v", status, err)
	}
	return items
}

// grantedJobs counts the access_granted jobs queued for userID.
func (f *Fixture) grantedJobs(t testing.TB, userID int64) int {
	t.Helper()
	n := 0
	for _, j := range f.Jobs(t) {
		var p struct {
			UserID int64 `json:"user_id"`
		}
		if j.Kind == convene.JobAccessGranted && json.Unmarshal(j.Payload, &p) == nil && p.UserID == userID {
			n++
		}
	}
	return n
}

// wantAccess fails t unless userID has want in every session of ids.
func (f *Fixture) wantAccess(t testing.TB, userID int64, want convene.Access, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		if got := f.Access(t, id)[userID]; got != want {
			t.Errorf("user %d in session %d: access %q, want %q", userID, id, got, want)
		}
	}
}

func testTwoRequestsOneContact(t *testing.T, open Opener) {
	f := newFixture(t, open)
	sa := f.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
	ss := f.Sessions(t, f.Admin, 3)
	b1 := f.ask(t, sa, []int64{ss[0].ID, ss[1].ID}, convene.AccessView, "Nina New <nina@acme.test>")
	b2 := f.ask(t, f.Admin, []int64{ss[1].ID, ss[2].ID}, convene.AccessCollaborate, "NINA@acme.test")
	if got := b1.Results[0]; got.Status != convene.StatusRequested || got.RequestID == 0 || b1.Counts.Requested != 1 {
		t.Fatalf("request-mode result = %+v, counts %+v", got, b1.Counts)
	}
	if n := len(f.requests(t, convene.RequestPending)); n != 2 {
		t.Fatalf("%d pending requests, want 2", n)
	}
	nina := f.User(t, "Nina", "nina@acme.test", "", convene.RoleMember)
	f.wantAccess(t, nina.ID, convene.AccessView, ss[0].ID)
	f.wantAccess(t, nina.ID, convene.AccessCollaborate, ss[1].ID, ss[2].ID) // never lowered, raised by the second
	if got := f.grantedJobs(t, nina.ID); got != 1 {
		t.Errorf("%d access_granted messages, want 1 (told once)", got)
	}
	if got := len(f.requests(t, convene.RequestGranted)); got != 2 {
		t.Errorf("%d granted requests, want 2", got)
	}
	for _, b := range []*convene.Batch{b1, b2} {
		if n := len(f.auditEvents(t, convene.AuditFilter{BatchID: b.ID, UserID: nina.ID})); n != 2 {
			t.Errorf("batch %d: %d audit events for the new user, want 2 (audited under the request's batch)", b.ID, n)
		}
	}
}

func testRequestSessionDeleted(t *testing.T, open Opener) {
	f := newFixture(t, open)
	ss := f.Sessions(t, f.Admin, 3)
	f.ask(t, f.Admin, ids(ss), convene.AccessCollaborate, "+13245768342")
	if err := f.Store.DeleteSession(As(f.Admin), ss[1].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if got := f.requests(t, convene.RequestPending)[0].Sessions; len(got) != 2 {
		t.Errorf("listed sessions %+v, want the 2 left", got)
	}
	p := f.User(t, "Phil", "", "+13245768342", convene.RoleMember)
	f.wantAccess(t, p.ID, convene.AccessCollaborate, ss[0].ID, ss[2].ID)
	r := f.requests(t, convene.RequestGranted)[0]
	if r.UserID != p.ID || !strings.Contains(r.Reason, "deleted") {
		t.Errorf("granted request = %+v, want user %d and a reason naming the deleted session", r, p.ID)
	}
}

func testRequestRequesterDemoted(t *testing.T, open Opener) {
	f := newFixture(t, open)
	sa := f.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
	own := f.Session(t, sa, "Sam's own")
	other := f.Session(t, f.Admin, "Admin's")
	f.ask(t, sa, []int64{own.ID, other.ID}, convene.AccessView, "dana@acme.test")
	member := convene.RoleMember
	if _, err := f.Store.UpdateUser(f.Sys(), sa.ID, convene.UserUpdate{Role: &member}); err != nil {
		t.Fatalf("UpdateUser(role): %v", err)
	}
	dana := f.User(t, "Dana", "dana@acme.test", "", convene.RoleMember)
	f.wantAccess(t, dana.ID, convene.AccessView, own.ID) // an owner may still add people to their own
	f.wantAccess(t, dana.ID, "", other.ID)
	if r := f.requests(t, convene.RequestGranted)[0]; !strings.Contains(r.Reason, "no longer") {
		t.Errorf("reason = %q, want it to say the requester may no longer add people", r.Reason)
	}
}
