package storetest

import (
	"slices"
	"testing"

	"convene"
)

func testAudit(t *testing.T, open Opener) {
	f := newFixture(t, open)
	people := f.Users(t, "p", 2)
	ss := f.Sessions(t, f.Admin, 2)
	b1 := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(people), Access: convene.AccessView})
	if _, err := f.Store.SetAccess(As(f.Admin), ss[0].ID, people[0].ID, convene.AccessCollaborate); err != nil {
		t.Fatalf("SetAccess: %v", err)
	}
	b2 := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(people), Access: convene.AccessCollaborate})
	all := f.auditEvents(t, convene.AuditFilter{})

	tests := []struct {
		name   string
		filter convene.AuditFilter
		match  func(e *convene.AuditEvent) bool
		min    int
	}{
		{"Session", convene.AuditFilter{SessionID: ss[0].ID}, func(e *convene.AuditEvent) bool { return e.SessionID == ss[0].ID }, 4},
		{"User", convene.AuditFilter{UserID: people[0].ID}, func(e *convene.AuditEvent) bool { return e.UserID == people[0].ID }, 4},
		{"Batch", convene.AuditFilter{BatchID: b1.ID}, func(e *convene.AuditEvent) bool { return e.BatchID == b1.ID }, 4},
		{"UpgradeBatch", convene.AuditFilter{BatchID: b2.ID}, func(e *convene.AuditEvent) bool { return e.BatchID == b2.ID }, 3},
		{"SessionAndUser", convene.AuditFilter{SessionID: ss[1].ID, UserID: people[1].ID},
			func(e *convene.AuditEvent) bool { return e.SessionID == ss[1].ID && e.UserID == people[1].ID }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.auditEvents(t, tt.filter)
			var want []int64
			for _, e := range all {
				if tt.match(e) {
					want = append(want, e.ID)
				}
			}
			if gotIDs := eventIDs(got); !slices.Equal(gotIDs, want) {
				t.Errorf("FindAuditEvents(%+v) = %v, want %v", tt.filter, gotIDs, want)
			}
			if len(got) < tt.min {
				t.Errorf("FindAuditEvents(%+v) = %d events, want at least %d", tt.filter, len(got), tt.min)
			}
		})
	}
	if got := countAction(f.auditEvents(t, convene.AuditFilter{BatchID: b2.ID}), convene.AuditMemberUpgraded); got != 3 {
		t.Errorf("batch 2: %d %s events, want 3", got, convene.AuditMemberUpgraded)
	}
	for _, e := range f.auditEvents(t, convene.AuditFilter{SessionID: ss[0].ID, UserID: people[0].ID}) {
		if e.Action == convene.AuditAccessChanged && (e.ActorID != f.Admin.ID || e.Before == e.After) {
			t.Errorf("access change event %+v: want actor %d and before != after", *e, f.Admin.ID)
		}
	}
	t.Run("Paging", func(t *testing.T) { testAuditPaging(t, f, convene.AuditFilter{}, all) })
	_, _, err := f.Store.FindAuditEvents(As(people[0]), convene.AuditFilter{})
	wantCode(t, err, convene.EFORBIDDEN)
}

// testAuditPaging checks that all, the events filter selects, are newest
// first, and that pages of several sizes list them, each once.
func testAuditPaging(t *testing.T, f *Fixture, filter convene.AuditFilter, all []*convene.AuditEvent) {
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) || (all[i].At.Equal(all[i-1].At) && all[i].ID > all[i-1].ID) {
			t.Errorf("events %d and %d not newest first: %+v then %+v", i-1, i, *all[i-1], *all[i])
		}
	}
	for _, limit := range []int{1, 3, 7} {
		var got []int64
		filter := filter
		filter.Limit = limit
		for range 1000 {
			page, next, err := f.Store.FindAuditEvents(f.Sys(), filter)
			if err != nil {
				t.Fatalf("FindAuditEvents(%+v): %v", filter, err)
			}
			if len(page) > limit {
				t.Errorf("page of %d events, want at most %d", len(page), limit)
			}
			got = append(got, eventIDs(page)...)
			if next == "" {
				break
			}
			filter.Cursor = next
		}
		if want := eventIDs(all); !slices.Equal(got, want) {
			t.Errorf("limit %d: pages give %v, want %v", limit, got, want)
		}
	}
}

func eventIDs(events []*convene.AuditEvent) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}
