package convene_test

import (
	"reflect"
	"testing"

	"convene"
)

func actorWith(role convene.Role) convene.Actor {
	return convene.Actor{TenantID: 1, User: &convene.User{ID: 7, TenantID: 1, Role: role}}
}

func TestAuthorizeUnregistered(t *testing.T) {
	tests := []struct {
		role   convene.Role
		mode   convene.UnregisteredMode
		guests bool
		want   string
	}{
		{convene.RoleAdmin, convene.UnregisteredRegister, false, ""},
		{convene.RoleSessionAdmin, convene.UnregisteredRegister, true, convene.EFORBIDDEN},
		{convene.RoleSessionAdmin, convene.UnregisteredRequest, false, ""},
		{convene.RoleMember, convene.UnregisteredRequest, true, convene.EFORBIDDEN},
		{convene.RoleSessionAdmin, convene.UnregisteredGuest, true, ""},
		{convene.RoleAdmin, convene.UnregisteredGuest, false, convene.EINVALID},
		{convene.RoleSessionAdmin, "", false, ""},
		{convene.RoleSessionAdmin, convene.UnregisteredSkip, false, ""},
	}
	for _, tt := range tests {
		err := convene.AuthorizeUnregistered(actorWith(tt.role), tt.mode, tt.guests)
		if got := convene.ErrorCode(err); got != tt.want {
			t.Errorf("%s, %q, guests %v: %q (%v), want %q", tt.role, tt.mode, tt.guests, got, err, tt.want)
		}
	}
}

func TestSettleUnregistered(t *testing.T) {
	for mode, want := range map[convene.UnregisteredMode]convene.ContactStatus{
		"": convene.StatusUnregistered, convene.UnregisteredSkip: convene.StatusUnregistered,
		convene.UnregisteredRequest: convene.StatusRequested, convene.UnregisteredRegister: convene.StatusRegisteredNow,
		convene.UnregisteredGuest: convene.StatusInvited,
	} {
		res := []convene.Resolution{{Status: convene.StatusRegistered}, {Status: convene.StatusUnregistered}, {Status: convene.StatusDisabled}}
		convene.SettleUnregistered(mode, res)
		got := []convene.ContactStatus{res[0].Status, res[1].Status, res[2].Status}
		if wantAll := []convene.ContactStatus{convene.StatusRegistered, want, convene.StatusDisabled}; !reflect.DeepEqual(got, wantAll) {
			t.Errorf("mode %q: %v, want %v", mode, got, wantAll)
		}
	}
}

func TestNameOfContact(t *testing.T) {
	tests := map[string]string{
		"Jane Doe <jane@acme.test>":    "Jane Doe",
		`"Doe, Jane" <jane@acme.test>`: "Doe, Jane",
		"jane@acme.test":               "jane@acme.test",
		"<jane@acme.test>":             "jane@acme.test",
	}
	for in, want := range tests {
		if got := convene.NameOfContact(convene.Contact{Input: in, Normalized: "jane@acme.test"}); got != want {
			t.Errorf("NameOfContact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEntryCounts(t *testing.T) {
	a, u, n := convene.OutcomeAdded, convene.OutcomeUpgraded, convene.OutcomeUnchanged
	tests := []struct {
		status   convene.ContactStatus
		outcomes []convene.Outcome
		want     convene.Counts
	}{
		{convene.StatusRegistered, []convene.Outcome{a, u, n}, convene.Counts{Added: 1, Upgraded: 1, Unchanged: 1}},
		{convene.StatusRegisteredNow, []convene.Outcome{a, a}, convene.Counts{Added: 2, RegisteredNow: 1}},
		{convene.StatusRequested, nil, convene.Counts{Requested: 1}},
		{convene.StatusInvited, nil, convene.Counts{Invited: 1}},
		{convene.StatusUnregistered, nil, convene.Counts{Skipped: 1}},
		{convene.StatusDuplicate, nil, convene.Counts{Skipped: 1}},
	}
	for _, tt := range tests {
		if got := convene.EntryCounts(tt.status, tt.outcomes); got != tt.want {
			t.Errorf("EntryCounts(%s, %v) = %+v, want %+v", tt.status, tt.outcomes, got, tt.want)
		}
	}
}

func TestFingerprintOfModes(t *testing.T) {
	base := convene.GrantRequest{SessionIDs: []int64{1}, Contacts: []string{"a@acme.test"}, Access: convene.AccessView}
	skip, request := base, base
	skip.Unregistered, request.Unregistered = convene.UnregisteredSkip, convene.UnregisteredRequest
	if base.Fingerprint() != skip.Fingerprint() {
		t.Error(`"" and "skip" fingerprint differently: old batches' replays would conflict`)
	}
	if base.Fingerprint() == request.Fingerprint() {
		t.Error("another mode fingerprints the same: a replay with another mode would not conflict")
	}
	dry := request
	dry.DryRun = true
	if dry.Fingerprint() != request.Fingerprint() {
		t.Error("a preview fingerprints differently from its call")
	}
	bad := base
	bad.Unregistered = "all"
	if got := convene.ErrorCode(bad.Validate()); got != convene.EINVALID {
		t.Errorf("Validate(mode all) = %q, want invalid", got)
	}
}
