package convene_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"convene"
)

// batchOf builds a batch of sessions whose registered people (by user id,
// in input order) had the outcomes given, one letter per session: a added,
// u upgraded, n unchanged.
func batchOf(access convene.Access, sessions []int64, people map[int64]string, order ...int64) *convene.Batch {
	letters := map[rune]convene.Outcome{'a': convene.OutcomeAdded, 'u': convene.OutcomeUpgraded, 'n': convene.OutcomeUnchanged}
	b := &convene.Batch{ID: 5, Access: access, SessionIDs: sessions}
	for _, id := range order {
		r := convene.BatchResult{Input: fmt.Sprintf("u%d", id), Status: convene.StatusRegistered, UserID: id}
		for _, l := range people[id] {
			r.Outcomes = append(r.Outcomes, letters[l])
		}
		b.Results = append(b.Results, r)
	}
	return b
}

func TestPlanUndoGroups(t *testing.T) {
	removed := func(sessions []int64, users ...int64) *convene.UndoGroup {
		return &convene.UndoGroup{Outcome: convene.UndoRemoved, SessionIDs: sessions, UserIDs: users, From: convene.AccessCollaborate}
	}
	downgraded := func(sessions []int64, users ...int64) *convene.UndoGroup {
		return &convene.UndoGroup{Outcome: convene.UndoDowngraded, SessionIDs: sessions, UserIDs: users, From: convene.AccessCollaborate, To: convene.AccessView}
	}
	tests := []struct {
		name  string
		batch *convene.Batch
		want  []*convene.UndoGroup
	}{
		{name: "nothing changed, nothing to revert",
			batch: batchOf(convene.AccessCollaborate, []int64{1, 2}, map[int64]string{7: "nn"}, 7)},
		{name: "people added to the same sessions share one group",
			batch: batchOf(convene.AccessCollaborate, []int64{1, 2}, map[int64]string{7: "aa", 8: "aa"}, 7, 8),
			want:  []*convene.UndoGroup{removed([]int64{1, 2}, 7, 8)}},
		{name: "added and upgraded pairs of one person make two groups",
			batch: batchOf(convene.AccessCollaborate, []int64{1, 2, 3}, map[int64]string{7: "aun"}, 7),
			want:  []*convene.UndoGroup{removed([]int64{1}, 7), downgraded([]int64{2}, 7)}},
		{name: "other sessions, another group, in first-seen order",
			batch: batchOf(convene.AccessCollaborate, []int64{1, 2}, map[int64]string{7: "an", 8: "aa", 9: "an", 10: "uu"}, 7, 8, 9, 10),
			want:  []*convene.UndoGroup{removed([]int64{1}, 7, 9), removed([]int64{1, 2}, 8), downgraded([]int64{1, 2}, 10)}},
		{name: "a view batch takes its access back from what it added",
			batch: batchOf(convene.AccessView, []int64{1}, map[int64]string{7: "a"}, 7),
			want:  []*convene.UndoGroup{{Outcome: convene.UndoRemoved, SessionIDs: []int64{1}, UserIDs: []int64{7}, From: convene.AccessView}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := convene.PlanUndo(tt.batch, time.Time{}, 0).Groups
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Groups =\n%s\nwant\n%s", groupsString(got), groupsString(tt.want))
			}
		})
	}
}

func groupsString(gs []*convene.UndoGroup) string {
	s := ""
	for _, g := range gs {
		s += fmt.Sprintf("  %+v\n", *g)
	}
	return s
}

func TestUndoGroupAuditAction(t *testing.T) {
	tests := []struct {
		outcome convene.UndoOutcome
		want    string
	}{
		{convene.UndoRemoved, convene.AuditMemberRemoved},
		{convene.UndoDowngraded, convene.AuditAccessChanged},
	}
	for _, tt := range tests {
		g := &convene.UndoGroup{Outcome: tt.outcome}
		if got := g.AuditAction(); got != tt.want {
			t.Errorf("AuditAction of %s = %q, want %q", tt.outcome, got, tt.want)
		}
	}
}

func TestUndoPlanResult(t *testing.T) {
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	removed, downgraded, kept := convene.UndoRemoved, convene.UndoDowngraded, convene.UndoKept
	batch := func() *convene.Batch {
		b := batchOf(convene.AccessCollaborate, []int64{1, 2}, map[int64]string{7: "au", 8: "an"}, 7, 8)
		// A skipped entry is no part of the undo.
		b.Results = append(b.Results, convene.BatchResult{Input: "new@x.test", Status: convene.StatusUnregistered, Counts: convene.Counts{Skipped: 1}})
		return b
	}
	tests := []struct {
		name string
		keep [][2]int64 // session, user
		want []convene.UndoResult
		sum  convene.UndoCounts
	}{
		{name: "everything reverted",
			want: []convene.UndoResult{
				{Input: "u7", UserID: 7, Outcomes: []convene.UndoOutcome{removed, downgraded}, Counts: convene.UndoCounts{Removed: 1, Downgraded: 1}},
				{Input: "u8", UserID: 8, Outcomes: []convene.UndoOutcome{removed, ""}, Counts: convene.UndoCounts{Removed: 1}},
			},
			sum: convene.UndoCounts{Removed: 2, Downgraded: 1}},
		{name: "pairs changed since are kept",
			keep: [][2]int64{{2, 7}, {1, 8}},
			want: []convene.UndoResult{
				{Input: "u7", UserID: 7, Outcomes: []convene.UndoOutcome{removed, kept}, Counts: convene.UndoCounts{Removed: 1, Kept: 1}},
				{Input: "u8", UserID: 8, Outcomes: []convene.UndoOutcome{kept, ""}, Counts: convene.UndoCounts{Kept: 1}},
			},
			sum: convene.UndoCounts{Removed: 1, Downgraded: 0, Kept: 2}},
		{name: "a pair outside the batch is ignored",
			keep: [][2]int64{{3, 7}, {1, 99}},
			want: []convene.UndoResult{
				{Input: "u7", UserID: 7, Outcomes: []convene.UndoOutcome{removed, downgraded}, Counts: convene.UndoCounts{Removed: 1, Downgraded: 1}},
				{Input: "u8", UserID: 8, Outcomes: []convene.UndoOutcome{removed, ""}, Counts: convene.UndoCounts{Removed: 1}},
			},
			sum: convene.UndoCounts{Removed: 2, Downgraded: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := convene.PlanUndo(batch(), at, 42)
			for _, k := range tt.keep {
				p.Keep(k[0], k[1])
			}
			got := p.Undo()
			want := &convene.Undo{BatchID: 5, UndoneAt: at, UndoneBy: 42, SessionIDs: []int64{1, 2}, Results: tt.want, Counts: tt.sum}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Undo =\n%+v\nwant\n%+v", got, want)
			}
			if again := p.Undo(); again.Counts != tt.sum {
				t.Errorf("Undo called twice counts %+v, want %+v", again.Counts, tt.sum)
			}
		})
	}
}
