package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"convene/internal/api/apicheck"
)

// TestDescribedAnswers sends the requests whose answers the OpenAPI
// document once failed to describe. e.do checks every answer against the
// document (apicheck); the statuses are asserted here too, so that the test
// cannot pass by the server answering something else.
func TestDescribedAnswers(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	sess := "/api/v1/sessions/" + id(s.ID)
	owner := sess + "/members/" + id(e.users["owner"].ID)

	wantProblem(t, e.send(e.srv.Client(), e.request("POST", "/api/v1/auth/login",
		map[string]string{"tenant": "acme", "login": "member@acme.test", "password": "x"}, "Origin", "https://evil.example")),
		http.StatusForbidden, "cross-site login")
	wantProblem(t, e.do("admin", "POST", "/api/v1/sessions", `{"title":"t"}`, "Content-Type", "text/plain"),
		http.StatusUnsupportedMediaType, "wrong content type")
	wantProblem(t, e.do("admin", "PUT", owner, map[string]string{"access": "view"}), http.StatusConflict, "PUT the owner")
	wantProblem(t, e.do("admin", "DELETE", owner, nil), http.StatusConflict, "DELETE the owner")
	wantProblem(t, e.do("anon", "POST", "/api/v1/auth/login", nil, "Authorization", "Bearer not-a-token"),
		http.StatusUnauthorized, "public operation, refused token")

	r := e.do("admin", "GET", sess, nil) // admin is no member: my_access is null
	wantStatus(t, r, http.StatusOK, "session of a non-member")
	var got map[string]any
	r.decode(t, &got)
	if v, ok := got["my_access"]; !ok || v != nil {
		t.Errorf("my_access of a non-member: %v (present %v), want null", v, ok)
	}
	wantStatus(t, e.do("admin", "GET", "/api/v1/sessions", nil), http.StatusOK, "list with a null my_access")
}

// TestOpenAPIDocument validates the served document (kin-openapi's loader
// and validator) and checks that it names its server and that every
// operation declares the problems any request may get.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, unlimited)
	r := e.do("anon", "GET", apicheck.DocumentPath, nil)
	wantStatus(t, r, http.StatusOK, "document")
	in, err := apicheck.Served()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.body, in) {
		t.Fatalf("a configured server serves another document than apicheck checks against")
	}
	doc, err := apicheck.Load(r.body)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) == 0 {
		t.Error("the document names no server")
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, status := range []int{422, 500, 503} {
				if op.Responses.Status(status) == nil {
					t.Errorf("%s %s declares no %d", method, path, status)
				}
			}
			if op.Responses.Default() != nil {
				t.Errorf("%s %s has a catch-all default answer", method, path)
			}
		}
	}
	for name, ref := range doc.Components.Schemas {
		for prop, p := range ref.Value.Properties {
			if v := p.Value; v.Type.Includes("null") && len(v.Enum) > 0 && !slices.Contains(v.Enum, any(nil)) {
				t.Errorf("%s.%s may be null, but null is not among its enum values %v", name, prop, v.Enum)
			}
		}
	}
	var raw map[string]any
	if err := json.Unmarshal(r.body, &raw); err != nil || raw["openapi"] != "3.1.0" {
		t.Errorf("openapi version %v (%v), want 3.1.0", raw["openapi"], err)
	}
}
