package storetest

import (
	"testing"

	"convene"
)

func testGrant(t *testing.T, open Opener) {
	t.Run("AddsEveryPairThenUnchanged", func(t *testing.T) { testGrantAdds(t, open) })
	t.Run("NeverLowers", func(t *testing.T) { testGrantNeverLowers(t, open) })
	t.Run("Skips", func(t *testing.T) { testGrantSkips(t, open) })
}

// Grant runs req (a multi-invite) as actor and fails t on error.
func (f *Fixture) Grant(t testing.TB, actor *convene.User, req convene.GrantRequest) *convene.Batch {
	t.Helper()
	b, err := f.Store.Grant(As(actor), req)
	if err != nil {
		t.Fatalf("Grant(%+v): %v", req, err)
	}
	return b
}

func testGrantAdds(t *testing.T, open Opener) {
	f := newFixture(t, open)
	people := f.Users(t, "p", 3)
	ss := f.Sessions(t, f.Admin, 4)
	req := convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(people), Access: convene.AccessCollaborate}

	b := f.Grant(t, f.Admin, req)
	if got, want := b.Counts, (convene.Counts{Added: 12}); got != want {
		t.Errorf("first grant: counts %+v, want %+v", got, want)
	}
	if b.ID == 0 {
		t.Fatalf("first grant: batch id 0")
	}
	if got, want := len(b.Results), len(people); got != want {
		t.Fatalf("first grant: %d results, want %d", got, want)
	}
	for i, r := range b.Results {
		if r.Status != convene.StatusRegistered || r.UserID != people[i].ID {
			t.Errorf("result %d: status %q user %d, want registered user %d", i, r.Status, r.UserID, people[i].ID)
		}
		if got, want := r.Counts, (convene.Counts{Added: 4}); got != want {
			t.Errorf("result %d: counts %+v, want %+v", i, got, want)
		}
		for j, o := range r.Outcomes {
			if o != convene.OutcomeAdded {
				t.Errorf("result %d session %d: outcome %q, want added", i, j, o)
			}
		}
	}
	for _, s := range ss {
		acc := f.Access(t, s.ID)
		for _, p := range people {
			if got := acc[p.ID]; got != convene.AccessCollaborate {
				t.Errorf("session %d user %d: access %q, want collaborate", s.ID, p.ID, got)
			}
		}
	}
	events := f.auditEvents(t, convene.AuditFilter{BatchID: b.ID})
	if got := countAction(events, convene.AuditMemberAdded); got != 12 {
		t.Errorf("%d %s events with the batch id, want 12", got, convene.AuditMemberAdded)
	}
	notified := f.notified(t, b.ID)
	for _, p := range people {
		if got := notified[p.ID]; got != 1 {
			t.Errorf("user %d: %d notify jobs for the batch, want 1", p.ID, got)
		}
	}

	again := f.Grant(t, f.Admin, req)
	if got, want := again.Counts, (convene.Counts{Unchanged: 12}); got != want {
		t.Errorf("second grant: counts %+v, want %+v", got, want)
	}
	if got := len(f.auditEvents(t, convene.AuditFilter{BatchID: again.ID})); again.ID != b.ID && got != 0 {
		t.Errorf("second grant: %d audit events, want 0", got)
	}
	if got := len(f.notified(t, again.ID)); again.ID != b.ID && got != 0 {
		t.Errorf("second grant: %d people notified, want 0", got)
	}
}

func testGrantNeverLowers(t *testing.T, open Opener) {
	f := newFixture(t, open)
	owner := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	s := f.Session(t, owner, "Owned by Olga")
	collab := f.User(t, "Carl", "carl@acme.test", "", convene.RoleMember)
	viewer := f.User(t, "Vera", "vera@acme.test", "", convene.RoleMember)
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{collab.Email}, Access: convene.AccessCollaborate})
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{viewer.Email}, Access: convene.AccessView})

	tests := []struct {
		name       string
		user       *convene.User
		requested  convene.Access
		wantResult convene.Outcome
		wantAccess convene.Access
		wantAudit  string
	}{
		{"ViewToCollaborator", collab, convene.AccessView, convene.OutcomeUnchanged, convene.AccessCollaborate, ""},
		{"CollaborateToViewer", viewer, convene.AccessCollaborate, convene.OutcomeUpgraded, convene.AccessCollaborate, convene.AuditMemberUpgraded},
		{"CollaborateToOwner", owner, convene.AccessCollaborate, convene.OutcomeUnchanged, convene.AccessOwner, ""},
		{"ViewToOwner", owner, convene.AccessView, convene.OutcomeUnchanged, convene.AccessOwner, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{tt.user.Email}, Access: tt.requested})
			if len(b.Results) != 1 || len(b.Results[0].Outcomes) != 1 {
				t.Fatalf("results %+v, want one result with one outcome", b.Results)
			}
			if got := b.Results[0].Outcomes[0]; got != tt.wantResult {
				t.Errorf("outcome %q, want %q", got, tt.wantResult)
			}
			if got := f.Access(t, s.ID)[tt.user.ID]; got != tt.wantAccess {
				t.Errorf("access %q, want %q", got, tt.wantAccess)
			}
			events := f.auditEvents(t, convene.AuditFilter{BatchID: b.ID})
			if tt.wantAudit == "" && len(events) != 0 {
				t.Errorf("%d audit events for an unchanged pair, want 0", len(events))
			}
			if tt.wantAudit != "" && countAction(events, tt.wantAudit) != 1 {
				t.Errorf("audit events %+v, want one %s", derefEvents(events), tt.wantAudit)
			}
		})
	}
}

func testGrantSkips(t *testing.T, open Opener) {
	f := newFixture(t, open)
	ss := f.Sessions(t, f.Admin, 2)
	jane := f.User(t, "Jane", "jane@acme.test", "+13245768342", convene.RoleMember)
	dora := f.Disable(t, f.User(t, "Dora", "dora@acme.test", "", convene.RoleMember))
	b := f.Grant(t, f.Admin, convene.GrantRequest{
		SessionIDs: ids(ss),
		Contacts:   []string{"JANE@acme.test", "nobody@acme.test", dora.Email, "+1 324 576 8342"},
		Access:     convene.AccessCollaborate,
	})
	wantStatus := []convene.ContactStatus{convene.StatusRegistered, convene.StatusUnregistered, convene.StatusDisabled, convene.StatusDuplicate}
	if len(b.Results) != len(wantStatus) {
		t.Fatalf("%d results, want %d", len(b.Results), len(wantStatus))
	}
	for i, want := range wantStatus {
		if got := b.Results[i].Status; got != want {
			t.Errorf("result %d (%q): status %q, want %q", i, b.Results[i].Input, got, want)
		}
		if i > 0 && len(b.Results[i].Outcomes) != 0 {
			t.Errorf("result %d: outcomes %v for a skipped entry, want none", i, b.Results[i].Outcomes)
		}
	}
	if got, want := b.Counts, (convene.Counts{Added: 2, Skipped: 3}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	for _, s := range ss {
		acc := f.Access(t, s.ID)
		if got, want := len(acc), 2; got != want {
			t.Errorf("session %d: %d members (%v), want %d: owner and Jane", s.ID, got, acc, want)
		}
		if acc[jane.ID] != convene.AccessCollaborate || acc[dora.ID] != "" {
			t.Errorf("session %d: access %v, want Jane collaborate and Dora none", s.ID, acc)
		}
	}
}

// countAction counts the events with action.
func countAction(events []*convene.AuditEvent, action string) int {
	n := 0
	for _, e := range events {
		if e.Action == action {
			n++
		}
	}
	return n
}

// derefEvents makes events printable.
func derefEvents(events []*convene.AuditEvent) []convene.AuditEvent {
	out := make([]convene.AuditEvent, len(events))
	for i, e := range events {
		out[i] = *e
	}
	return out
}
