package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"convene"
	"convene/internal/web"
)

func notesOf(s *convene.Session) string { return "/api/v1/sessions/" + id(s.ID) + "/notes" }

func TestNoteIfMatch(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	r := e.do("owner", http.MethodPost, notesOf(s), map[string]string{"title": "Plan", "body": "v1"})
	wantStatus(t, r, http.StatusCreated, "create")
	if r.header.Get("ETag") != `"1"` {
		t.Errorf("ETag %q, want \"1\"", r.header.Get("ETag"))
	}
	var n struct{ ID string }
	r.decode(t, &n)
	path := notesOf(s) + "/" + n.ID
	wantStatus(t, e.do("collab", http.MethodPatch, path, map[string]string{"body": "no version"}), http.StatusPreconditionRequired, "without If-Match")
	r = e.do("collab", http.MethodPatch, path, map[string]string{"body": "v2"}, "If-Match", `"1"`)
	wantStatus(t, r, http.StatusOK, "with the version")
	if r.header.Get("ETag") != `"2"` {
		t.Errorf("ETag after update %q, want \"2\"", r.header.Get("ETag"))
	}
	wantProblem(t, e.do("owner", http.MethodPatch, path, map[string]string{"body": "stale"}, "If-Match", `"1"`), http.StatusPreconditionFailed, "stale update")
	wantProblem(t, e.do("owner", http.MethodPatch, path, map[string]string{"body": "junk"}, "If-Match", `"abc"`), http.StatusPreconditionFailed, "junk tag")
	wantStatus(t, e.do("owner", http.MethodDelete, path, nil), http.StatusPreconditionRequired, "delete without If-Match")
	wantStatus(t, e.do("owner", http.MethodDelete, path, nil, "If-Match", `"1"`), http.StatusPreconditionFailed, "stale delete")
	r = e.do("viewer", http.MethodGet, path, nil)
	wantStatus(t, r, http.StatusOK, "get")
	if r.header.Get("ETag") != `"2"` || !strings.Contains(string(r.body), `"body":"v2"`) {
		t.Errorf("after refused changes: %s %s, want version 2 kept", r.header.Get("ETag"), r.body)
	}
	wantStatus(t, e.do("owner", http.MethodDelete, path, nil, "If-Match", `"2"`), http.StatusNoContent, "delete")
}

func TestNotesHostileInput(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	before := e.snapshot(t)
	wantProblem(t, e.do("owner", http.MethodPost, notesOf(s), map[string]string{"title": strings.Repeat("t", 10_000)}), http.StatusUnprocessableEntity, "10,000-character title")
	e.wantNoWrites(t, before, "a refused title")
	script := `<script>alert(1)</script>`
	r := e.do("owner", http.MethodPost, notesOf(s), map[string]string{"title": script, "body": script})
	wantStatus(t, r, http.StatusCreated, "script in a note")
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	r = e.do("viewer", http.MethodGet, notesOf(s), nil)
	var page struct {
		Items []struct{ Title, Body string }
	}
	r.decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Body != script || page.Items[0].Title != script {
		t.Errorf("notes %+v, want the script kept as text", page.Items)
	}
}

func TestMessagesOldestFirstPaged(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	path := "/api/v1/sessions/" + id(s.ID) + "/messages"
	for i := range 3 {
		wantStatus(t, e.do("collab", http.MethodPost, path, map[string]string{"body": fmt.Sprint("m", i)}), http.StatusCreated, "post")
	}
	for _, tt := range []struct{ order, want string }{
		{"", "m0,m1,m2"},
		{"&order=oldest", "m0,m1,m2"},
		{"&order=newest", "m2,m1,m0"},
	} {
		if got := readMessages(t, e, path, tt.order); got != tt.want {
			t.Errorf("messages%s %v, want %v", tt.order, got, tt.want)
		}
	}
	wantProblem(t, e.do("viewer", http.MethodGet, path+"?order=sideways", nil), http.StatusUnprocessableEntity, "an unknown order")
}

// readMessages reads every page of a discussion, two at a time, as the
// viewer: the bodies, comma-separated.
func readMessages(t *testing.T, e *env, path, order string) string {
	t.Helper()
	var got []string
	for cursor := ""; ; {
		var page struct {
			Items      []struct{ Body string }
			NextCursor *string `json:"next_cursor"`
		}
		e.do("viewer", http.MethodGet, path+"?limit=2&cursor="+cursor+order, nil).decode(t, &page)
		for _, m := range page.Items {
			got = append(got, m.Body)
		}
		if page.NextCursor == nil {
			return strings.Join(got, ",")
		}
		cursor = *page.NextCursor
	}
}

func TestFilesUploadAndDownload(t *testing.T) {
	const limit = 1000
	e := newEnv(t, unlimited, func(c *web.Config) { c.MaxFileBytes = limit })
	s := e.session()
	files := "/api/v1/sessions/" + id(s.ID) + "/files"
	html := []byte("<html><script>alert(1)</script></html>")
	r := e.do("collab", http.MethodPost, files, upload(t, "file", "../../x", "text/html", html))
	wantStatus(t, r, http.StatusCreated, "upload")
	var f struct{ ID, Name string }
	r.decode(t, &f)
	if f.Name != "x" {
		t.Errorf("name %q, want x (no path)", f.Name)
	}
	r = e.do("viewer", http.MethodGet, files+"/"+f.ID, nil)
	wantStatus(t, r, http.StatusOK, "download")
	h := r.header
	if h.Get("Content-Type") != "application/octet-stream" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="x"`) || !bytes.Equal(r.body, html) {
		t.Errorf("download: %v %q, want the bytes as an attachment, octet-stream, nosniff", h, r.body)
	}

	r = e.do("owner", http.MethodPost, files, upload(t, "file", "Résumé \"final\";.png", "image/png", []byte("png")))
	wantStatus(t, r, http.StatusCreated, "upload an image")
	r.decode(t, &f)
	r = e.do("owner", http.MethodGet, files+"/"+f.ID, nil)
	if cd := r.header.Get("Content-Disposition"); r.header.Get("Content-Type") != "image/png" ||
		cd != `attachment; filename="R_sum_ _final_;.png"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%3B.png` {
		t.Errorf("image download: %s, %s", r.header.Get("Content-Type"), cd)
	}

	before := e.snapshot(t)
	wantProblem(t, e.do("owner", http.MethodPost, files, upload(t, "file", "big.bin", "application/octet-stream", make([]byte, limit+1))),
		http.StatusRequestEntityTooLarge, "one byte over the limit")
	e.wantNoWrites(t, before, "an upload over the limit")
	wantStatus(t, e.do("owner", http.MethodPost, files, upload(t, "file", "fits.bin", "application/octet-stream", make([]byte, limit))), http.StatusCreated, "at the limit")
	wantProblem(t, e.do("owner", http.MethodPost, files, upload(t, "other", "a.txt", "text/plain", []byte("a"))), http.StatusUnprocessableEntity, "no file field")
	wantProblem(t, e.do("viewer", http.MethodPost, files, upload(t, "file", "a.txt", "text/plain", []byte("a"))), http.StatusForbidden, "viewer uploads")
}
