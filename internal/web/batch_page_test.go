package web_test

import (
	"net/http"
	"strings"
	"testing"

	"convene"
)

// TestBatchPageAccess: a batch's page (/activity/batches/{id}) shows the
// batch to whom the API shows it, Session and Tenant Admins, and reads
// "Batch not found" to everyone else, as it does for an id that is none;
// nobody signed in is sent to sign in.
func TestBatchPageAccess(t *testing.T) {
	e := newEnv(t, unlimited)
	b := e.grant(e.session().ID, convene.AccessView, e.users["member"])
	path := "/activity/batches/" + id(b.ID)
	want := map[string]int{"admin": http.StatusOK, "sadmin": http.StatusOK, "owner": http.StatusNotFound,
		"member": http.StatusNotFound, "guest": http.StatusNotFound, "other": http.StatusNotFound}
	for persona, status := range want {
		got := e.do(persona, http.MethodGet, path, nil)
		wantStatus(t, got, status, persona+" GET "+path)
		body := string(got.body)
		switch {
		case status == http.StatusOK && !strings.Contains(body, `data-batch-id="`+id(b.ID)+`"`):
			t.Errorf("%s GET %s: the page does not show the batch:\n%.400s", persona, path, body)
		case status == http.StatusNotFound && !strings.Contains(body, "Batch not found"):
			t.Errorf("%s GET %s: not the page's own not found:\n%.400s", persona, path, body)
		}
	}
	for _, bad := range []string{"/activity/batches/nope", "/activity/batches/999999"} {
		got := e.do("admin", http.MethodGet, bad, nil)
		if wantStatus(t, got, http.StatusNotFound, "admin GET "+bad); !strings.Contains(string(got.body), "Batch not found") {
			t.Errorf("admin GET %s: not the page's own not found", bad)
		}
	}
	if got := e.do("anon", http.MethodGet, path, nil); !strings.Contains(string(got.body), "<title>Sign in · Convene</title>") {
		t.Errorf("anon GET %s: %d, not sent to sign in:\n%.400s", path, got.status, got.body)
	}
}
