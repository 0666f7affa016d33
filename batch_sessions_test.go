package convene_test

import (
	"slices"
	"testing"
	"time"

	"convene"
)

func TestChangedSessions(t *testing.T) {
	sessions := []int64{10, 20, 30}
	for _, tt := range []struct {
		name   string
		people map[int64]string
		want   []int64
	}{
		{"nothing changed", map[int64]string{1: "nnn", 2: "nnn"}, nil},
		{"one pair added", map[int64]string{1: "nan", 2: "nnn"}, []int64{20}},
		{"upgrades and adds, each session once", map[int64]string{1: "una", 2: "aan"}, []int64{10, 20, 30}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := batchOf(convene.AccessCollaborate, sessions, tt.people, 1, 2)
			if got := b.ChangedSessions(); !slices.Equal(got, tt.want) {
				t.Errorf("ChangedSessions = %v, want %v", got, tt.want)
			}
		})
	}
	change := &convene.Batch{SessionIDs: sessions, Action: convene.ActionView, Results: []convene.BatchResult{
		{Outcomes: []convene.Outcome{convene.OutcomeOwner, convene.OutcomeNotMember, convene.OutcomeChanged}},
		{}, // a skipped entry has no outcomes
	}}
	if got := change.ChangedSessions(); !slices.Equal(got, []int64{30}) {
		t.Errorf("an access change's ChangedSessions = %v, want [30]", got)
	}
}

func TestChangedUsers(t *testing.T) {
	b := batchOf(convene.AccessCollaborate, []int64{10, 20, 30}, map[int64]string{1: "nnn", 2: "nan", 3: "unn", 4: "nnn"}, 4, 3, 2, 1)
	if got := b.ChangedUsers(); !slices.Equal(got, []int64{3, 2}) {
		t.Errorf("ChangedUsers = %v, want those with a pair added or upgraded, in the results' order: [3 2]", got)
	}
	change := &convene.Batch{SessionIDs: []int64{10, 20}, Action: convene.ActionRemove, Results: []convene.BatchResult{
		{UserID: 7, Outcomes: []convene.Outcome{convene.OutcomeOwner, convene.OutcomeNotMember}},
		{}, // a skipped entry has no outcomes
		{UserID: 8, Outcomes: []convene.Outcome{convene.OutcomeNotMember, convene.OutcomeChanged}},
	}}
	if got := change.ChangedUsers(); !slices.Equal(got, []int64{8}) {
		t.Errorf("an access change's ChangedUsers = %v, want [8]", got)
	}
}

func TestUndoPlanSessionIDs(t *testing.T) {
	b := batchOf(convene.AccessCollaborate, []int64{10, 20, 30}, map[int64]string{1: "ann", 2: "nun", 3: "nnn"}, 1, 2, 3)
	got := convene.PlanUndo(b, time.Now(), 9).SessionIDs()
	slices.Sort(got)
	if !slices.Equal(got, []int64{10, 20}) {
		t.Errorf("SessionIDs = %v, want the sessions with a pair to revert, once each: [10 20]", got)
	}
}

func TestEventBatchAndAccess(t *testing.T) {
	for _, tt := range []struct {
		e      convene.SessionEvent
		batch  int64
		access convene.Access
	}{
		{convene.SessionEvent{Name: convene.EventMemberChanged, Data: []byte(`{"batch_id":7}`)}, 7, ""},
		{convene.SessionEvent{Name: convene.EventMemberChanged, Data: []byte(`{"user":{"id":3},"access":"view"}`)}, 0, ""},
		{convene.SessionEvent{Name: convene.EventAccess, Data: []byte(`{"access":"none"}`), UserID: 3}, 0, convene.AccessNone},
		{convene.SessionEvent{Name: convene.EventNoteCreated, Data: []byte(`{"batch_id":7,"access":"view"}`)}, 0, ""},
	} {
		if got := tt.e.BatchOf(); got != tt.batch {
			t.Errorf("%s %s: BatchOf = %d, want %d", tt.e.Name, tt.e.Data, got, tt.batch)
		}
		if got := tt.e.AccessOf(); got != tt.access {
			t.Errorf("%s %s: AccessOf = %q, want %q", tt.e.Name, tt.e.Data, got, tt.access)
		}
	}
}
