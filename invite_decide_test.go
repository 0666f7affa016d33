package convene_test

import (
	"reflect"
	"testing"

	"convene"
)

func TestDecideInvite(t *testing.T) {
	granted := func(outcomes ...convene.Outcome) convene.BatchResult {
		return convene.BatchResult{Status: convene.StatusRegistered, Outcomes: outcomes}
	}
	skipped := convene.BatchResult{Counts: convene.Counts{Skipped: 1}}
	tests := []struct {
		name          string
		res           []convene.Resolution
		granted       []convene.BatchResult
		guestsAllowed bool
		want          []convene.InviteResult
	}{
		{name: "registered people take the grant's outcome", guestsAllowed: true,
			res:     []convene.Resolution{registered("a@x.test", 7), registered("b@x.test", 8), registered("c@x.test", 9)},
			granted: []convene.BatchResult{granted(convene.OutcomeAdded), granted(convene.OutcomeUpgraded), granted(convene.OutcomeUnchanged)},
			want: []convene.InviteResult{
				{Input: "a@x.test", Status: convene.StatusRegistered, Outcome: convene.OutcomeAdded, UserID: 7},
				{Input: "b@x.test", Status: convene.StatusRegistered, Outcome: convene.OutcomeUpgraded, UserID: 8},
				{Input: "c@x.test", Status: convene.StatusRegistered, Outcome: convene.OutcomeUnchanged, UserID: 9},
			}},
		{name: "an unregistered contact is invited when guests are allowed", guestsAllowed: true,
			res:  []convene.Resolution{resolved("new@x.test", convene.StatusUnregistered, "", 0)},
			want: []convene.InviteResult{{Input: "new@x.test", Status: convene.StatusUnregistered, Outcome: convene.OutcomeInvited}}},
		{name: "and skipped when they are not", guestsAllowed: false,
			res: []convene.Resolution{resolved("new@x.test", convene.StatusUnregistered, "", 0)},
			want: []convene.InviteResult{{Input: "new@x.test", Status: convene.StatusUnregistered, Outcome: convene.OutcomeSkipped,
				Reason: "guests are turned off in this workspace"}}},
		{name: "a disabled account is skipped, never invited", guestsAllowed: true,
			res: []convene.Resolution{resolved("off@x.test", convene.StatusDisabled, "", 8)},
			want: []convene.InviteResult{{Input: "off@x.test", Status: convene.StatusDisabled, Outcome: convene.OutcomeSkipped,
				Reason: "this account is disabled"}}},
		{name: "a duplicate is skipped with its own reason", guestsAllowed: true,
			res:     []convene.Resolution{registered("a@x.test", 7), resolved("A@x.test", convene.StatusDuplicate, "the same person as entry 1", 7)},
			granted: []convene.BatchResult{granted(convene.OutcomeAdded), skipped},
			want: []convene.InviteResult{
				{Input: "a@x.test", Status: convene.StatusRegistered, Outcome: convene.OutcomeAdded, UserID: 7},
				{Input: "A@x.test", Status: convene.StatusDuplicate, Outcome: convene.OutcomeSkipped, Reason: "the same person as entry 1"},
			}},
		{name: "a mix, in input order", guestsAllowed: true,
			res: []convene.Resolution{resolved("new@x.test", convene.StatusUnregistered, "", 0), registered("a@x.test", 7),
				resolved("off@x.test", convene.StatusDisabled, "", 8)},
			granted: []convene.BatchResult{skipped, granted(convene.OutcomeUpgraded), skipped},
			want: []convene.InviteResult{
				{Input: "new@x.test", Status: convene.StatusUnregistered, Outcome: convene.OutcomeInvited},
				{Input: "a@x.test", Status: convene.StatusRegistered, Outcome: convene.OutcomeUpgraded, UserID: 7},
				{Input: "off@x.test", Status: convene.StatusDisabled, Outcome: convene.OutcomeSkipped, Reason: "this account is disabled"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := convene.DecideInvite(tt.res, tt.granted, tt.guestsAllowed)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecideInvite =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}
