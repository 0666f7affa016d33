package web_test

import (
	"net/http"
	"testing"

	"convene"
)

// TestBulkInviteBySessionQuery: the multi-invite takes session_query
// instead of session_ids (contract section 15), resolved when applied;
// both or neither answer 422 and apply nothing.
func TestBulkInviteBySessionQuery(t *testing.T) {
	e := newEnv(t, unlimited)
	e.session()
	e.session()
	body := map[string]any{"session_query": map[string]string{"q": "session"}, "contacts": "member@acme.test", "access": "view"}
	r := e.do("sadmin", "POST", "/api/v1/invitations/bulk", body)
	wantStatus(t, r, http.StatusOK, "bulk by query")
	var b batchJSON
	r.decode(t, &b)
	if want := (convene.Counts{Added: 2}); b.Counts != want || len(b.Results) != 1 || len(b.Results[0].Sessions) != 2 {
		t.Fatalf("by query: %s, want 2 added", r.body)
	}
	before := e.snapshot(t)
	both := map[string]any{"session_ids": []string{b.Results[0].Sessions[0].SessionID}, "session_query": map[string]string{"q": ""}, "contacts": "collab@acme.test"}
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", both), http.StatusUnprocessableEntity, "both")
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"contacts": "collab@acme.test"}), http.StatusUnprocessableEntity, "neither")
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_query": map[string]string{"q": "nothing like it"}, "contacts": "collab@acme.test"}),
		http.StatusUnprocessableEntity, "no match")
	wantProblem(t, e.do("member", "POST", "/api/v1/invitations/bulk", body), http.StatusForbidden, "a member")
	e.wantNoWrites(t, before, "a refused multi-invite")
}
