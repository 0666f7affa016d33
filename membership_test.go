package convene_test

import (
	"testing"

	"convene"
)

func TestDecideGrant(t *testing.T) {
	tests := []struct {
		current, requested convene.Access
		want               convene.Outcome
		wantAccess         convene.Access
	}{
		{"", convene.AccessCollaborate, convene.OutcomeAdded, convene.AccessCollaborate},
		{"", convene.AccessView, convene.OutcomeAdded, convene.AccessView},
		{convene.AccessView, convene.AccessCollaborate, convene.OutcomeUpgraded, convene.AccessCollaborate},
		{convene.AccessView, convene.AccessView, convene.OutcomeUnchanged, convene.AccessView},
		{convene.AccessCollaborate, convene.AccessView, convene.OutcomeUnchanged, convene.AccessCollaborate},
		{convene.AccessCollaborate, convene.AccessCollaborate, convene.OutcomeUnchanged, convene.AccessCollaborate},
		{convene.AccessOwner, convene.AccessView, convene.OutcomeUnchanged, convene.AccessOwner},
		{convene.AccessOwner, convene.AccessCollaborate, convene.OutcomeUnchanged, convene.AccessOwner},
	}
	for _, tt := range tests {
		got, gotAccess := convene.DecideGrant(tt.current, tt.requested)
		if got != tt.want || gotAccess != tt.wantAccess {
			t.Errorf("DecideGrant(%q, %q) = %q, %q; want %q, %q", tt.current, tt.requested, got, gotAccess, tt.want, tt.wantAccess)
		}
	}
}

func TestGrantRequestValidate(t *testing.T) {
	many := func(n int) []int64 { return make([]int64, n) }
	manyContacts := func(n int) []string { return make([]string, n) }
	tests := []struct {
		name string
		req  convene.GrantRequest
		want string // error code; "" for valid
	}{
		{"valid", convene.GrantRequest{SessionIDs: many(1), Contacts: manyContacts(1), Access: convene.AccessView}, ""},
		{"at the limits", convene.GrantRequest{SessionIDs: many(1000), Contacts: manyContacts(1000), Access: convene.AccessCollaborate}, ""},
		{"no sessions", convene.GrantRequest{Contacts: manyContacts(1), Access: convene.AccessView}, convene.EINVALID},
		{"no contacts", convene.GrantRequest{SessionIDs: many(1), Access: convene.AccessView}, convene.EINVALID},
		{"too many sessions", convene.GrantRequest{SessionIDs: many(1001), Contacts: manyContacts(1), Access: convene.AccessView}, convene.ETOOLARGE},
		{"too many contacts", convene.GrantRequest{SessionIDs: many(1), Contacts: manyContacts(1001), Access: convene.AccessView}, convene.ETOOLARGE},
		{"owner is not grantable", convene.GrantRequest{SessionIDs: many(1), Contacts: manyContacts(1), Access: convene.AccessOwner}, convene.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convene.ErrorCode(tt.req.Validate()); got != tt.want {
				t.Errorf("Validate() code = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFingerprintTellsRequestsApart(t *testing.T) {
	a := convene.GrantRequest{SessionIDs: []int64{1, 2}, Contacts: []string{"a@x.test"}, Access: convene.AccessView}
	b := a
	b.Access = convene.AccessCollaborate
	if a.Fingerprint() == b.Fingerprint() {
		t.Error("requests differing in access share a fingerprint")
	}
	c := a
	c.IdempotencyKey = "k"
	if a.Fingerprint() != c.Fingerprint() {
		t.Error("the idempotency key changed the fingerprint")
	}
}

func TestPairsPage(t *testing.T) {
	b := &convene.Batch{
		SessionIDs: []int64{1, 2, 3},
		Results: []convene.BatchResult{
			{UserID: 7, Outcomes: []convene.Outcome{"added", "unchanged", "upgraded"}},
			{Input: "nobody@x.test", Status: convene.StatusUnregistered},
			{UserID: 8, Outcomes: []convene.Outcome{"added", "added", "added"}},
		},
	}
	var got []convene.Pair
	cursor, pages := "", 0
	for {
		page, next, err := b.PairsPage(cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		pages++
		if next == "" {
			break
		}
		cursor = next
	}
	if len(got) != 6 || pages != 3 {
		t.Fatalf("got %d pairs in %d pages, want 6 in 3", len(got), pages)
	}
	if got[2] != (convene.Pair{UserID: 7, SessionID: 3, Outcome: "upgraded"}) || got[3] != (convene.Pair{UserID: 8, SessionID: 1, Outcome: "added"}) {
		t.Errorf("pairs out of order: %+v", got)
	}
	if _, _, err := b.PairsPage("-4", 2); convene.ErrorCode(err) != convene.EINVALID {
		t.Errorf("a bad cursor gave %v, want EINVALID", err)
	}
}
