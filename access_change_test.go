package convene_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"convene"
)

func TestDecideAccessChange(t *testing.T) {
	tests := []struct {
		current convene.Access
		action  convene.AccessAction
		want    convene.Outcome
	}{
		{"", convene.ActionView, convene.OutcomeNotMember},
		{"", convene.ActionCollaborate, convene.OutcomeNotMember},
		{"", convene.ActionRemove, convene.OutcomeNotMember},
		{convene.AccessOwner, convene.ActionView, convene.OutcomeOwner},
		{convene.AccessOwner, convene.ActionRemove, convene.OutcomeOwner},
		{convene.AccessCollaborate, convene.ActionView, convene.OutcomeChanged}, // lowering too
		{convene.AccessView, convene.ActionCollaborate, convene.OutcomeChanged},
		{convene.AccessView, convene.ActionView, convene.OutcomeUnchanged},
		{convene.AccessCollaborate, convene.ActionCollaborate, convene.OutcomeUnchanged},
		{convene.AccessView, convene.ActionRemove, convene.OutcomeChanged},
		{convene.AccessCollaborate, convene.ActionRemove, convene.OutcomeChanged},
	}
	for _, tt := range tests {
		if got := convene.DecideAccessChange(tt.current, tt.action); got != tt.want {
			t.Errorf("DecideAccessChange(%q, %q) = %q, want %q", tt.current, tt.action, got, tt.want)
		}
	}
}

func TestDecideAccessBatch(t *testing.T) {
	access := map[[2]int64]convene.Access{{7, 1}: convene.AccessCollaborate, {7, 2}: convene.AccessOwner, {8, 1}: convene.AccessView}
	res := []convene.Resolution{
		{Contact: convene.Contact{Input: "a"}, Status: convene.StatusRegistered, User: &convene.User{ID: 7}},
		{Contact: convene.Contact{Input: "b"}, Status: convene.StatusRegistered, User: &convene.User{ID: 8}},
		{Contact: convene.Contact{Input: "c"}, Status: convene.StatusUnregistered},
	}
	results, counts := convene.DecideAccessBatch([]int64{1, 2}, convene.ActionRemove, res,
		func(u, s int64) convene.Access { return access[[2]int64{u, s}] })
	if want := (convene.Counts{Changed: 2, Owner: 1, NotMember: 1, Skipped: 1}); counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	want := []struct {
		outcomes []convene.Outcome
		before   []convene.Access
	}{
		{[]convene.Outcome{convene.OutcomeChanged, convene.OutcomeOwner}, []convene.Access{convene.AccessCollaborate, ""}},
		{[]convene.Outcome{convene.OutcomeChanged, convene.OutcomeNotMember}, []convene.Access{convene.AccessView, ""}},
		{nil, nil},
	}
	for i, w := range want {
		if !reflect.DeepEqual(results[i].Outcomes, w.outcomes) || !reflect.DeepEqual(results[i].Before, w.before) {
			t.Errorf("result %d: outcomes %v before %v, want %v %v", i, results[i].Outcomes, results[i].Before, w.outcomes, w.before)
		}
	}
}

func TestAccessLettersRoundTrip(t *testing.T) {
	outcomes := []convene.Outcome{convene.OutcomeChanged, convene.OutcomeChanged, convene.OutcomeUnchanged, convene.OutcomeNotMember, convene.OutcomeOwner}
	before := []convene.Access{convene.AccessCollaborate, convene.AccessView, "", "", ""}
	letters := convene.AccessLetters(outcomes, before)
	if letters != "cvnxo" {
		t.Errorf("letters %q, want cvnxo", letters)
	}
	gotO, gotB := convene.AccessOutcomesFromLetters(letters)
	if !reflect.DeepEqual(gotO, outcomes) || !reflect.DeepEqual(gotB, before) {
		t.Errorf("read back %v %v, want %v %v", gotO, gotB, outcomes, before)
	}
}

// accessBatchOf builds an access change batch: per person one letter per
// session as AccessLetters writes them.
func accessBatchOf(action convene.AccessAction, sessions []int64, people map[int64]string, order ...int64) *convene.Batch {
	b := &convene.Batch{ID: 6, Action: action, SessionIDs: sessions}
	for _, id := range order {
		r := convene.BatchResult{Input: fmt.Sprintf("u%d", id), Status: convene.StatusRegistered, UserID: id}
		r.Outcomes, r.Before = convene.AccessOutcomesFromLetters(people[id])
		b.Results = append(b.Results, r)
	}
	return b
}

func TestPlanUndoOfAccessChange(t *testing.T) {
	restore := func(from, to convene.Access, sessions []int64, users ...int64) *convene.UndoGroup {
		return &convene.UndoGroup{Outcome: convene.UndoRestored, SessionIDs: sessions, UserIDs: users, From: from, To: to}
	}
	tests := []struct {
		name  string
		batch *convene.Batch
		want  []*convene.UndoGroup
	}{
		{name: "nothing changed, nothing to restore",
			batch: accessBatchOf(convene.ActionView, []int64{1, 2}, map[int64]string{7: "nx", 8: "on"}, 7, 8)},
		{name: "lowered to view goes back to collaborate",
			batch: accessBatchOf(convene.ActionView, []int64{1, 2}, map[int64]string{7: "cc", 8: "cc"}, 7, 8),
			want:  []*convene.UndoGroup{restore(convene.AccessView, convene.AccessCollaborate, []int64{1, 2}, 7, 8)}},
		{name: "removed pairs come back with the access each had",
			batch: accessBatchOf(convene.ActionRemove, []int64{1, 2, 3}, map[int64]string{7: "cvo", 8: "vvx"}, 7, 8),
			want: []*convene.UndoGroup{restore("", convene.AccessCollaborate, []int64{1}, 7), restore("", convene.AccessView, []int64{2}, 7),
				restore("", convene.AccessView, []int64{1, 2}, 8)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convene.PlanUndo(tt.batch, time.Time{}, 0).Groups; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Groups =\n%s\nwant\n%s", groupsString(got), groupsString(tt.want))
			}
		})
	}
}

func TestUndoOfAccessChangeResult(t *testing.T) {
	b := accessBatchOf(convene.ActionRemove, []int64{1, 2}, map[int64]string{7: "cv", 8: "on"}, 7, 8)
	p := convene.PlanUndo(b, time.Time{}, 0)
	p.Keep(2, 7) // re-added by someone since
	u := p.Undo()
	if want := (convene.UndoCounts{Restored: 1, Kept: 1}); u.Counts != want {
		t.Errorf("counts %+v, want %+v", u.Counts, want)
	}
	if got := u.Results[1].Outcomes; !reflect.DeepEqual(got, []convene.UndoOutcome{"", ""}) {
		t.Errorf("owner and unchanged pairs: %v, want nothing", got)
	}
	for _, tt := range []struct {
		g    convene.UndoGroup
		want string
	}{
		{convene.UndoGroup{Outcome: convene.UndoRestored, To: convene.AccessView}, convene.AuditMemberAdded},
		{convene.UndoGroup{Outcome: convene.UndoRestored, From: convene.AccessView, To: convene.AccessCollaborate}, convene.AuditAccessChanged},
	} {
		if got := tt.g.AuditAction(); got != tt.want {
			t.Errorf("AuditAction of %+v = %q, want %q", tt.g, got, tt.want)
		}
	}
}
