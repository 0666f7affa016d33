package convene_test

import (
	"reflect"
	"testing"

	"convene"
)

// registered and resolved build resolutions as a store's
// contact resolution returns them.
func registered(input string, userID int64) convene.Resolution {
	return convene.Resolution{Contact: convene.Contact{Input: input, Kind: convene.ContactEmail, Normalized: input},
		Status: convene.StatusRegistered, User: &convene.User{ID: userID}}
}

func resolved(input string, status convene.ContactStatus, reason string, userID int64) convene.Resolution {
	r := convene.Resolution{Contact: convene.Contact{Input: input, Kind: convene.ContactEmail, Normalized: input}, Status: status, Reason: reason}
	if userID != 0 {
		r.User = &convene.User{ID: userID}
	}
	return r
}

// accessOf is an AccessLookup over a table of (user, session) -> access.
func accessOf(table map[[2]int64]convene.Access) convene.AccessLookup {
	return func(userID, sessionID int64) convene.Access { return table[[2]int64{userID, sessionID}] }
}

func TestDecideBatch(t *testing.T) {
	added, upgraded, unchanged := convene.OutcomeAdded, convene.OutcomeUpgraded, convene.OutcomeUnchanged
	tests := []struct {
		name       string
		sessions   []int64
		requested  convene.Access
		res        []convene.Resolution
		current    map[[2]int64]convene.Access
		want       []convene.BatchResult
		wantCounts convene.Counts
	}{
		{name: "no entries", sessions: []int64{1}, requested: convene.AccessCollaborate,
			want: []convene.BatchResult{}},
		{name: "a newcomer is added to every session", sessions: []int64{1, 2}, requested: convene.AccessCollaborate,
			res: []convene.Resolution{registered("a@x.test", 7)},
			want: []convene.BatchResult{{Input: "a@x.test", Status: convene.StatusRegistered, UserID: 7,
				Outcomes: []convene.Outcome{added, added}, Counts: convene.Counts{Added: 2}}},
			wantCounts: convene.Counts{Added: 2}},
		{name: "each pair by its own access, in session order", sessions: []int64{3, 1, 2}, requested: convene.AccessCollaborate,
			res:     []convene.Resolution{registered("a@x.test", 7)},
			current: map[[2]int64]convene.Access{{7, 1}: convene.AccessView, {7, 2}: convene.AccessOwner},
			want: []convene.BatchResult{{Input: "a@x.test", Status: convene.StatusRegistered, UserID: 7,
				Outcomes: []convene.Outcome{added, upgraded, unchanged}, Counts: convene.Counts{Added: 1, Upgraded: 1, Unchanged: 1}}},
			wantCounts: convene.Counts{Added: 1, Upgraded: 1, Unchanged: 1}},
		{name: "view never lowers collaborate", sessions: []int64{1, 2}, requested: convene.AccessView,
			res:     []convene.Resolution{registered("a@x.test", 7)},
			current: map[[2]int64]convene.Access{{7, 1}: convene.AccessCollaborate, {7, 2}: convene.AccessView},
			want: []convene.BatchResult{{Input: "a@x.test", Status: convene.StatusRegistered, UserID: 7,
				Outcomes: []convene.Outcome{unchanged, unchanged}, Counts: convene.Counts{Unchanged: 2}}},
			wantCounts: convene.Counts{Unchanged: 2}},
		{name: "entries that are not registered are skipped with their reason", sessions: []int64{1, 2}, requested: convene.AccessCollaborate,
			res: []convene.Resolution{
				resolved("new@x.test", convene.StatusUnregistered, "", 0),
				resolved("off@x.test", convene.StatusDisabled, "this account is disabled", 8),
				resolved("A@x.test", convene.StatusDuplicate, "the same person as entry 1", 7),
			},
			want: []convene.BatchResult{
				{Input: "new@x.test", Status: convene.StatusUnregistered, Counts: convene.Counts{Skipped: 1}},
				{Input: "off@x.test", Status: convene.StatusDisabled, Reason: "this account is disabled", UserID: 8, Counts: convene.Counts{Skipped: 1}},
				{Input: "A@x.test", Status: convene.StatusDuplicate, Reason: "the same person as entry 1", UserID: 7, Counts: convene.Counts{Skipped: 1}},
			},
			wantCounts: convene.Counts{Skipped: 3}},
		{name: "the counts sum every person", sessions: []int64{1}, requested: convene.AccessCollaborate,
			res:     []convene.Resolution{registered("a@x.test", 7), registered("b@x.test", 8), resolved("new@x.test", convene.StatusUnregistered, "", 0)},
			current: map[[2]int64]convene.Access{{8, 1}: convene.AccessView},
			want: []convene.BatchResult{
				{Input: "a@x.test", Status: convene.StatusRegistered, UserID: 7, Outcomes: []convene.Outcome{added}, Counts: convene.Counts{Added: 1}},
				{Input: "b@x.test", Status: convene.StatusRegistered, UserID: 8, Outcomes: []convene.Outcome{upgraded}, Counts: convene.Counts{Upgraded: 1}},
				{Input: "new@x.test", Status: convene.StatusUnregistered, Counts: convene.Counts{Skipped: 1}},
			},
			wantCounts: convene.Counts{Added: 1, Upgraded: 1, Skipped: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gotCounts := convene.DecideBatch(tt.sessions, tt.requested, tt.res, accessOf(tt.current))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("results = %+v\nwant %+v", got, tt.want)
			}
			if gotCounts != tt.wantCounts {
				t.Errorf("counts = %+v, want %+v", gotCounts, tt.wantCounts)
			}
		})
	}
}

func TestRejectInvalid(t *testing.T) {
	invalid := func(input, reason string) convene.Resolution {
		return convene.Resolution{Contact: convene.Contact{Input: input, Kind: convene.ContactUnknown, Reason: reason},
			Status: convene.StatusInvalid, Reason: reason}
	}
	tests := []struct {
		name        string
		res         []convene.Resolution
		wantEntries []convene.EntryError // nil: no error
		wantMessage string
	}{
		{name: "no entries"},
		{name: "every entry valid", res: []convene.Resolution{registered("a@x.test", 7), resolved("new@x.test", convene.StatusUnregistered, "", 0),
			resolved("off@x.test", convene.StatusDisabled, "this account is disabled", 8)}},
		{name: "one invalid entry rejects the call",
			res:         []convene.Resolution{registered("a@x.test", 7), invalid("nope", "not an email address or a phone number")},
			wantEntries: []convene.EntryError{{Index: 1, Input: "nope", Reason: "not an email address or a phone number"}},
			wantMessage: "1 of the entries are neither an email address nor a phone number; nothing was applied"},
		{name: "every invalid entry is named, by index",
			res:         []convene.Resolution{invalid("x", "too short"), registered("a@x.test", 7), invalid("y@", "no domain")},
			wantEntries: []convene.EntryError{{Index: 0, Input: "x", Reason: "too short"}, {Index: 2, Input: "y@", Reason: "no domain"}},
			wantMessage: "2 of the entries are neither an email address nor a phone number; nothing was applied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := convene.RejectInvalid(tt.res)
			if tt.wantEntries == nil {
				if err != nil {
					t.Fatalf("RejectInvalid = %v, want nil", err)
				}
				return
			}
			got := convene.AsError(err)
			if got == nil || got.Code != convene.EINVALID {
				t.Fatalf("RejectInvalid = %v, want an EINVALID *Error", err)
			}
			if !reflect.DeepEqual(got.Entries, tt.wantEntries) {
				t.Errorf("Entries = %+v, want %+v", got.Entries, tt.wantEntries)
			}
			if got.Message != tt.wantMessage {
				t.Errorf("Message = %q, want %q", got.Message, tt.wantMessage)
			}
		})
	}
}
