package web_test

import (
	"net/http"
	"testing"

	"convene/internal/storetest"
)

// snapshot reads every row of every table of the env's database (both
// tenants, the jobs, batches, invitations and tokens included), failing t
// on any error, to tell whether a request wrote anything.
//
// Authenticating a bearer token records its last use (at most once a
// minute of the env's clock, which only the test moves): bookkeeping of
// the authentication, not a write of the request. So the first snapshot
// of an env first uses each persona's token once, and a refused request
// that wrote nothing leaves every row as it was, the tokens' included.
func (e *env) snapshot(t testing.TB) storetest.Rows {
	t.Helper()
	if !e.tokensUsed {
		for _, p := range personas[:len(personas)-1] {
			want := http.StatusOK
			if p == "disabled" {
				want = http.StatusUnauthorized
			}
			wantStatus(t, e.do(p, "GET", "/api/v1/me", nil), want, p+"'s first use of their token")
		}
		e.tokensUsed = true
	}
	return storetest.AllRows(t, e.fx.Store)
}

// wantNoWrites fails t unless the database still holds exactly the rows of
// before; what names the requests sent since.
func (e *env) wantNoWrites(t testing.TB, before storetest.Rows, what string) {
	t.Helper()
	if changes := before.Changes(e.snapshot(t)); changes != "" {
		t.Errorf("%s changed the data:\n%s", what, changes)
	}
}
