package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"convene"
)

// testAuditOfAccessChange checks that a bulk access change, which audits
// its pairs by one entry (sqlstore/audit_entry.go), is listed as one event
// per changed pair, with the access each had before, in its place among
// the other events, under every filter and across pages.
func testAuditOfAccessChange(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	f, plans, budget := sc.f, sc.sessions[0].ID, sc.sessions[1].ID
	grants := f.auditEvents(t, convene.AuditFilter{})
	lowered := sc.change(t, convene.ActionView, sc.carl, sc.vera, sc.nora, sc.owner)
	if _, err := f.Store.SetAccess(As(f.Admin), plans, sc.vera.ID, convene.AccessCollaborate); err != nil {
		t.Fatalf("SetAccess: %v", err)
	}
	removed := sc.change(t, convene.ActionRemove, sc.carl, sc.vera)
	all := f.auditEvents(t, convene.AuditFilter{})

	// What happened, newest first: the removal of four pairs (in any order
	// among themselves), Vera raised by hand in Plans, Carl lowered in both
	// sessions, then the grants as they were listed before.
	removal := []string{
		pairEvent(convene.AuditMemberRemoved, plans, sc.carl, "view", "", removed.ID),
		pairEvent(convene.AuditMemberRemoved, budget, sc.carl, "view", "", removed.ID),
		pairEvent(convene.AuditMemberRemoved, plans, sc.vera, "collaborate", "", removed.ID),
		pairEvent(convene.AuditMemberRemoved, budget, sc.vera, "view", "", removed.ID),
	}
	byHand := pairEvent(convene.AuditAccessChanged, plans, sc.vera, "view", "collaborate", 0)
	lowering := []string{
		pairEvent(convene.AuditAccessChanged, plans, sc.carl, "collaborate", "view", lowered.ID),
		pairEvent(convene.AuditAccessChanged, budget, sc.carl, "collaborate", "view", lowered.ID),
	}
	if len(all) != len(removal)+1+len(lowering)+len(grants) {
		t.Fatalf("%d events, want %d: %v", len(all), len(removal)+1+len(lowering)+len(grants), describeEvents(all))
	}
	wantSameEvents(t, "the removal", all[:4], removal)
	wantSameEvents(t, "the change by hand", all[4:5], []string{byHand})
	wantSameEvents(t, "the lowering", all[5:7], lowering)
	if got, want := eventIDs(all[7:]), eventIDs(grants); !slices.Equal(got, want) {
		t.Errorf("the grants' events %v, want them as before the changes: %v", got, want)
	}
	for _, e := range all[:7] {
		if e.ActorID != f.Admin.ID {
			t.Errorf("event %+v: actor %d, want %d", *e, e.ActorID, f.Admin.ID)
		}
	}
	wantBatchTime(t, all[:4], removed)
	wantBatchTime(t, all[5:7], lowered)
	// Ids are unique and, like the events, newest first.
	if ids := eventIDs(all); !slices.IsSortedFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) }) ||
		len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("event ids not strictly descending: %v", ids)
	}

	filters := []convene.AuditFilter{
		{SessionID: plans}, {SessionID: budget}, {UserID: sc.carl.ID}, {UserID: sc.vera.ID}, {UserID: sc.nora.ID},
		{BatchID: lowered.ID}, {BatchID: removed.ID}, {SessionID: plans, UserID: sc.vera.ID}, {SessionID: budget, BatchID: removed.ID},
	}
	for _, filter := range filters {
		t.Run(fmt.Sprintf("%+v", filter), func(t *testing.T) {
			want := slices.DeleteFunc(slices.Clone(all), func(e *convene.AuditEvent) bool { return !auditSelects(filter, e) })
			if got := f.auditEvents(t, filter); !slices.Equal(eventIDs(got), eventIDs(want)) {
				t.Errorf("events %v, want %v", describeEvents(got), describeEvents(want))
			}
			testAuditPaging(t, f, filter, want)
		})
	}
	t.Run("Paging", func(t *testing.T) { testAuditPaging(t, f, convene.AuditFilter{}, all) })
}

// auditSelects is what FindAuditEvents with filter f keeps of e.
func auditSelects(f convene.AuditFilter, e *convene.AuditEvent) bool {
	return (f.SessionID == 0 || e.SessionID == f.SessionID) && (f.UserID == 0 || e.UserID == f.UserID) &&
		(f.BatchID == 0 || e.BatchID == f.BatchID)
}

// pairEvent describes the event of a change of u's access in a session.
func pairEvent(action string, session int64, u *convene.User, before, after string, batch int64) string {
	return describeEvent(&convene.AuditEvent{Action: action, SessionID: session, UserID: u.ID, Before: before, After: after, BatchID: batch})
}

func describeEvent(e *convene.AuditEvent) string {
	return fmt.Sprintf("%s in session %d of user %d: %q to %q, batch %d", e.Action, e.SessionID, e.UserID, e.Before, e.After, e.BatchID)
}

func describeEvents(events []*convene.AuditEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = describeEvent(e)
	}
	return out
}

// wantSameEvents fails t unless events are want, in any order.
func wantSameEvents(t *testing.T, what string, events []*convene.AuditEvent, want []string) {
	t.Helper()
	got := describeEvents(events)
	if slices.Sort(got); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("%s: events %q, want %q", what, got, want)
	}
}

// wantBatchTime fails t unless every one of events has the time of b.
func wantBatchTime(t *testing.T, events []*convene.AuditEvent, b *convene.Batch) {
	t.Helper()
	for _, e := range events {
		if !e.At.Equal(b.CreatedAt) {
			t.Errorf("event %+v at %v, want its batch's time %v", *e, e.At, b.CreatedAt)
		}
	}
}
