package storetest

import (
	"fmt"
	"testing"

	"convene"
)

// testGrantRejects checks that a grant refused for any reason writes
// nothing: no membership, audit event, batch or job.
func testGrantRejects(t *testing.T, open Opener) {
	f := newFixture(t, open)
	other := AddTenant(t, f.Store, "globex")
	foreign := other.Session(t, other.Admin, "Globex plans")
	people := f.Users(t, "p", 2)
	owner := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	ss := f.Sessions(t, f.Admin, 2)
	owned := f.Session(t, owner, "Olga's")
	all := append(ids(ss), owned.ID)
	// Something to compare with: one batch, audit events and jobs exist.
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss[:1]), Contacts: emails(people[:1]), Access: convene.AccessView})
	if s := f.take(t, all); s.Batches != 1 || s.Jobs != 1 || s.Audit == 0 {
		t.Fatalf("snapshot after one grant = %d batches, %d jobs, %d audit events; want 1, 1, some", s.Batches, s.Jobs, s.Audit)
	}

	tooMany := make([]string, convene.MaxGrantContacts+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("x%d@acme.test", i)
	}
	tooManySessions := make([]int64, convene.MaxGrantSessions+1)
	for i := range tooManySessions {
		tooManySessions[i] = ss[0].ID + int64(i)
	}
	tests := []struct {
		name  string
		actor *convene.User
		req   convene.GrantRequest
		want  string
	}{
		{"InvalidEntry", f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: []string{people[0].Email, "bad@", people[1].Email}}, convene.EINVALID},
		{"UnknownSession", f.Admin, convene.GrantRequest{SessionIDs: []int64{ss[0].ID, foreign.ID + 1000}, Contacts: emails(people)}, convene.ENOTFOUND},
		{"OtherTenantsSession", f.Admin, convene.GrantRequest{SessionIDs: []int64{ss[0].ID, foreign.ID}, Contacts: emails(people)}, convene.ENOTFOUND},
		{"OwnerWithoutMultiInvite", owner, convene.GrantRequest{SessionIDs: []int64{owned.ID}, Contacts: emails(people)}, convene.EFORBIDDEN},
		{"TooManyContacts", f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: tooMany}, convene.ETOOLARGE},
		{"TooManySessions", f.Admin, convene.GrantRequest{SessionIDs: tooManySessions, Contacts: emails(people)}, convene.ETOOLARGE},
		{"ViewerWithoutMultiInvite", people[0], convene.GrantRequest{SessionIDs: ids(ss[:1]), Contacts: emails(people[1:])}, convene.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Access = convene.AccessCollaborate
			before := f.take(t, all)
			_, err := f.Store.Grant(As(tt.actor), tt.req)
			wantCode(t, err, tt.want)
			f.same(t, before, all)
			if tt.want == convene.EINVALID {
				wantEntry(t, err, 1, "bad@")
			}
		})
	}
}

// wantEntry fails t unless err names the entry at index with input.
func wantEntry(t testing.TB, err error, index int, input string) {
	t.Helper()
	e := convene.AsError(err)
	if e == nil {
		t.Fatalf("error %v is no *convene.Error", err)
	}
	for _, entry := range e.Entries {
		if entry.Index == index && entry.Input == input && entry.Reason != "" {
			return
		}
	}
	t.Errorf("entries %+v, want one naming index %d input %q with a reason", e.Entries, index, input)
}
