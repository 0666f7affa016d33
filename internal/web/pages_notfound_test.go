package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestUnknownPaths: an unknown dashboard path is the dashboard's own
// "Page not found" (a page with a title and a language), an unknown path
// under /api/ stays a problem document, and a known page asked with a
// method it does not take still answers 405 with the methods it takes.
func TestUnknownPaths(t *testing.T) {
	e := newEnv(t, unlimited)
	for _, persona := range []string{"anon", "member"} {
		for _, path := range []string{"/no-such-page", "/sessions/1/nope", "/static-nope"} {
			got := e.do(persona, http.MethodGet, path, nil)
			wantStatus(t, got, http.StatusNotFound, persona+" GET "+path)
			body := string(got.body)
			if ct := got.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") ||
				!strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "<title>Page not found · Convene</title>") {
				t.Errorf("%s GET %s: %s, not the dashboard's 404 page:\n%.300s", persona, path, ct, body)
			}
		}
	}
	for _, path := range []string{"/api/v2/sessions", "/api/", "/api/v1/no-such-thing"} {
		wantProblem(t, e.do("admin", http.MethodGet, path, nil), http.StatusNotFound, "GET "+path)
	}
	got := e.do("anon", http.MethodDelete, "/login", nil)
	wantStatus(t, got, http.StatusMethodNotAllowed, "DELETE /login")
	if allow := got.header.Get("Allow"); allow != "GET, HEAD" {
		t.Errorf("DELETE /login: Allow %q, want GET, HEAD", allow)
	}
}
