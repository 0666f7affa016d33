package apicheck_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"convene/internal/api/apicheck"
)

const problem401 = `{"type":"https://convene.dev/problems/unauthorized","title":"Unauthorized","status":401,"detail":"sign in first"}`

func problemHeader() http.Header {
	return http.Header{"Content-Type": {"application/problem+json"}}
}

func TestCheck(t *testing.T) {
	me := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1/api/v1/me", nil)
	for _, c := range []struct {
		what   string
		req    *http.Request
		status int
		header http.Header
		body   string
		want   string // in the error; "" for none
	}{
		{"a described problem", me, 401, problemHeader(), problem401, ""},
		{"an undeclared status", me, 418, problemHeader(), problem401, "GET /api/v1/me (operation me) answered 418"},
		{"a body off its schema", me, 200, http.Header{"Content-Type": {"application/json"}}, `{"user":5}`, "answered 200"},
		{"a problem with an unknown field", me, 401, problemHeader(), strings.TrimSuffix(problem401, "}") + `,"x":1}`, "answered 401"},
		{"an undeclared content type", me, 401, http.Header{"Content-Type": {"text/plain"}}, "no", "answered 401 text/plain"},
		{"a path the document does not describe", httptest.NewRequest(http.MethodGet, "/login", nil), 200, nil, "<html>", ""},
		{"a method the path does not take", httptest.NewRequest(http.MethodPatch, "/api/v1/me", nil), 405, problemHeader(), problem401, ""},
		{"an unknown endpoint, not a problem", httptest.NewRequest(http.MethodGet, "/api/v1/nope", nil), 404, problemHeader(), "{}", "(no operation) answered 404"},
		{"an unknown endpoint, as text", httptest.NewRequest(http.MethodGet, "/api/v1/nope", nil), 404, nil, "404 page not found", "not a problem document"},
	} {
		err := apicheck.Check(c.req, c.status, c.header, []byte(c.body))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.what, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one saying %q", c.what, err, c.want)
		}
	}
}

// recorder is a testing.TB that records the failures reported to it.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

type answer string

func (a answer) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 418, Header: problemHeader(), Body: io.NopCloser(strings.NewReader(string(a))), Request: req}, nil
}

func TestClientFailsTheTestAndKeepsTheBody(t *testing.T) {
	rec := &recorder{TB: t}
	c := apicheck.Client(rec, &http.Client{Transport: answer(problem401)})
	res, err := c.Get("http://127.0.0.1:1/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if string(body) != problem401 {
		t.Errorf("body after the check %q, want %q", body, problem401)
	}
	if len(rec.failures) != 1 || !strings.Contains(rec.failures[0], "answered 418") {
		t.Errorf("failures %q, want one naming the 418", rec.failures)
	}
}
