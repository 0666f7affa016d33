// Package storetest is the one conformance suite that every convene.Store
// must pass: internal/sqlite runs it always, internal/postgres whenever a
// server is available. It is an ordinary package, not a _test one, so that
// both stores' tests can import it.
package storetest

import (
	"testing"

	"convene"
)

// Opener returns a fresh, migrated, empty store; it registers its own
// cleanup on t.
type Opener func(t testing.TB) convene.Store

// Run runs the whole conformance suite against the stores open returns.
// Every subtest opens its own store, so subtests never see each other's rows.
func Run(t *testing.T, open func(t testing.TB) convene.Store) {
	groups := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"Tenants", testTenants},
		{"Users", testUsers},
		{"UserSearch", testUserSearch},
		{"Sessions", testSessions},
		{"PageCache", testPageCache},
		{"Grant", testGrant},
		{"GrantRejects", testGrantRejects},
		{"GrantIdempotency", testGrantIdempotency},
		{"GrantConcurrent", testGrantConcurrent},
		{"GrantWhileDisabling", testGrantWhileDisabling},
		{"SelectByQuery", testSelectByQuery},
		{"AccessChange", testAccessChange},
		{"Undo", testUndo},
		{"Members", testMembers},
		{"MembersPage", testMembersPage},
		{"UserSessions", testUserSessions},
		{"Isolation", testIsolation},
		{"Unauthorized", testUnauthorized},
		{"Auth", testAuth},
		{"Audit", testAudit},
		{"AuditOfAccessChange", testAuditOfAccessChange},
		{"Jobs", testJobs},
		{"RateBuckets", testRateBuckets},
		{"Places", testPlaces},
		{"AccessEvents", testAccessEvents},
		{"Unregistered", testUnregistered},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}
