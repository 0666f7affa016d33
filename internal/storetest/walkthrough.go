package storetest

import (
	"testing"

	"convene"
)

// RunAll runs every conformance test against the stores open returns: the
// groups of Run, the invitation tests of RunInvitations and the
// walkthroughs. Each store's tests call only this, so that a test added
// here runs on both stores without a change in either.
func RunAll(t *testing.T, open Opener) {
	Run(t, open)
	t.Run("Invitations", func(t *testing.T) { RunInvitations(t, open) })
	t.Run("Walkthrough", func(t *testing.T) { runWalkthroughs(t, open) })
}

// runWalkthroughs runs the longer tests that follow one tenant through
// several services in a row, and the heavier concurrent and bulk grants.
func runWalkthroughs(t *testing.T, open Opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"TenantAndUsers", testTenantAndUsers},
		{"Sessions", testSessionsWalkthrough},
		{"GrantAndMembers", testGrantAndMembers},
		{"AuthAndJobs", testAuthAndJobs},
		{"ConcurrentGrants", testConcurrentGrants},
		{"ConcurrentOverlappingGrants", testConcurrentOverlappingGrants},
		{"ConcurrentSameIdempotencyKey", testConcurrentSameIdempotencyKey},
		{"ClaimJobsSkipsLocked", testClaimJobsSkipsLocked},
		{"BigGrant", testBigGrant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open) })
	}
}

// newAcme opens a fresh store with tenant "acme" created as a new customer
// creates it, with only slug and name (and guests allowed), so that the
// store's defaults apply. Its admin is Ada, ada@acme.test.
func newAcme(t testing.TB, open Opener) *Fixture {
	t.Helper()
	tenant := &convene.Tenant{Slug: "acme", Name: "Acme", GuestsAllowed: true}
	admin := &convene.User{Name: "Ada", Email: "ada@acme.test"}
	return AddTenantWith(t, open(t), tenant, admin)
}

// fill creates n sessions owned by the admin and n members, and returns
// the sessions' ids and the members' emails.
func (f *Fixture) fill(t testing.TB, n int) (sessionIDs []int64, contacts []string) {
	t.Helper()
	return ids(f.Sessions(t, f.Admin, n)), emails(f.Users(t, "u", n))
}
