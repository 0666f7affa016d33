package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestNoteBodyHTML: every answer carrying a note has its body rendered
// safely in body_html (POST, GET, PATCH, the list), the Markdown body kept
// as written; hostile input renders to nothing that runs.
func TestNoteBodyHTML(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	body := "**Plan** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> [docs](https://example.test)"
	type note struct {
		ID, Body string
		BodyHTML string `json:"body_html"`
	}
	check := func(what string, n note, wantBody string) {
		t.Helper()
		if n.Body != wantBody {
			t.Errorf("%s: body %q, want %q kept as written", what, n.Body, wantBody)
		}
		low := strings.ToLower(n.BodyHTML)
		for _, bad := range []string{"<script", "javascript:", "onerror", "<img"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s: body_html %q holds %q", what, n.BodyHTML, bad)
			}
		}
		if !strings.Contains(n.BodyHTML, `<a href="https://example.test" rel="noopener nofollow ugc">docs</a>`) || !strings.Contains(n.BodyHTML, "<strong>Plan</strong>") {
			t.Errorf("%s: body_html %q, want the Markdown rendered, links rel=\"noopener nofollow ugc\"", what, n.BodyHTML)
		}
	}
	var created note
	r := e.do("owner", http.MethodPost, notesOf(s), map[string]string{"title": "Plan", "body": body})
	wantStatus(t, r, http.StatusCreated, "create")
	r.decode(t, &created)
	check("POST", created, body)

	var got note
	e.do("viewer", http.MethodGet, notesOf(s)+"/"+created.ID, nil).decode(t, &got)
	check("GET", got, body)

	var page struct{ Items []note }
	e.do("viewer", http.MethodGet, notesOf(s), nil).decode(t, &page)
	if len(page.Items) != 1 {
		t.Fatalf("%d notes listed, want 1", len(page.Items))
	}
	check("list", page.Items[0], body)

	changed := body + "\n\n~~old~~"
	var updated note
	r = e.do("collab", http.MethodPatch, notesOf(s)+"/"+created.ID, map[string]string{"body": changed}, ifMatch(1)...)
	wantStatus(t, r, http.StatusOK, "update")
	r.decode(t, &updated)
	check("PATCH", updated, changed)
	if !strings.Contains(updated.BodyHTML, "<del>old</del>") {
		t.Errorf("PATCH: body_html %q, want the new body rendered", updated.BodyHTML)
	}
}
