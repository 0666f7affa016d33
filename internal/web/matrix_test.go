package web_test

import (
	"convene/internal/storetest"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"convene"
)

// route is one operation of the API, as the OpenAPI document names it.
type route struct{ method, path string }

func (r route) String() string { return r.method + " " + r.path }

// apiRoutes reads every operation from the served OpenAPI document.
func apiRoutes(t testing.TB, e *env) []route {
	t.Helper()
	r := e.do("anon", http.MethodGet, "/api/v1/openapi.json", nil)
	wantStatus(t, r, http.StatusOK, "openapi.json")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json_raw_ignore `json:"paths"`
	}
	r.decode(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	var routes []route
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				routes = append(routes, route{strings.ToUpper(method), path})
			}
		}
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].String() < routes[j].String() })
	return routes
}

type json_raw_ignore = any

// cell builds the request of one matrix cell: fresh resources every time,
// so that a cell that deletes or changes something does not change the
// answer of the next.
type cell func(e *env) (path string, body any)

// row is one route of the authorization matrix and the status each persona
// gets, in the order of personas.
type row struct {
	route route
	build cell
	want  [10]int
}

const (
	ok200 = http.StatusOK
	c201  = http.StatusCreated
	n204  = http.StatusNoContent
	u401  = http.StatusUnauthorized
	f403  = http.StatusForbidden
	n404  = http.StatusNotFound
)

func fixed(path string, body any) cell {
	return func(*env) (string, any) { return path, body }
}

// onSession answers a path under a fresh session (see env.session).
func onSession(suffix string, body any) cell {
	return func(e *env) (string, any) {
		s := e.session()
		return "/api/v1/sessions/" + id(s.ID) + suffix, body
	}
}

// onViewer answers the path of the viewer's membership of a fresh session.
func onViewer(body any) cell {
	return func(e *env) (string, any) {
		s := e.session()
		return fmt.Sprintf("/api/v1/sessions/%d/members/%d", s.ID, e.users["viewer"].ID), body
	}
}

// onBatch answers a path under a fresh multi-invite by the Tenant Admin.
func onBatch(suffix string) cell {
	return func(e *env) (string, any) {
		s := e.session()
		b := e.grant(s.ID, convene.AccessView, e.fresh(convene.RoleMember))
		return "/api/v1/invitations/batches/" + id(b.ID) + suffix, nil
	}
}

// matrix is the authorization table: every route x persona. Routes added in
// other files (the invitations of contract section 8, ...) add their rows
// from a test file of their own, in an init function:
//
//	func init() { matrix = append(matrix, row{route{"GET", "/api/v1/x"}, fixed("/api/v1/x", nil), [10]int{...}}) }
//
// A served route without a row fails TestAuthorizationMatrix. Columns:
// admin, sadmin, owner, member (no member of the session), collab, viewer,
// guest (collaborates in the session), disabled, other (another tenant's
// admin), anon.
var matrix = []row{
	{route{"GET", "/healthz"}, fixed("/healthz", nil),
		[10]int{ok200, ok200, ok200, ok200, ok200, ok200, ok200, ok200, ok200, ok200}},
	{route{"POST", "/api/v1/auth/login"}, fixed("/api/v1/auth/login", map[string]string{"tenant": "acme", "login": "admin@acme.test", "password": "not the password"}),
		[10]int{u401, u401, u401, u401, u401, u401, u401, u401, u401, u401}},
	{route{"POST", "/api/v1/auth/logout"}, fixed("/api/v1/auth/logout", nil),
		[10]int{n204, n204, n204, n204, n204, n204, n204, u401, n204, n204}},
	{route{"GET", "/api/v1/me"}, fixed("/api/v1/me", nil),
		[10]int{ok200, ok200, ok200, ok200, ok200, ok200, ok200, u401, ok200, u401}},
	{route{"GET", "/api/v1/tenant"}, fixed("/api/v1/tenant", nil),
		[10]int{ok200, f403, f403, f403, f403, f403, f403, u401, ok200, u401}},
	{route{"PATCH", "/api/v1/tenant"}, fixed("/api/v1/tenant", map[string]any{"name": "Renamed", "guests_allowed": false}),
		[10]int{ok200, f403, f403, f403, f403, f403, f403, u401, ok200, u401}},
	{route{"GET", "/api/v1/users"}, fixed("/api/v1/users?q=user", nil),
		[10]int{ok200, ok200, ok200, ok200, ok200, ok200, f403, u401, ok200, u401}},
	{route{"POST", "/api/v1/users"}, func(e *env) (string, any) {
		return "/api/v1/users", map[string]any{"name": "New Person", "email": fmt.Sprintf("new%d@example.test", e.seq.Add(1)), "role": "member"}
	}, [10]int{c201, f403, f403, f403, f403, f403, f403, u401, c201, u401}},
	{route{"GET", "/api/v1/users/{id}"}, func(e *env) (string, any) {
		return "/api/v1/users/" + id(e.users["member"].ID), nil
	}, [10]int{ok200, ok200, ok200, ok200, ok200, ok200, n404, u401, n404, u401}},
	{route{"PATCH", "/api/v1/users/{id}"}, func(e *env) (string, any) {
		return "/api/v1/users/" + id(e.fresh(convene.RoleMember).ID), map[string]any{"name": "Renamed", "role": "session_admin"}
	}, [10]int{ok200, f403, f403, f403, f403, f403, n404, u401, n404, u401}},
	{route{"GET", "/api/v1/sessions"}, fixed("/api/v1/sessions?q=session&limit=10", nil),
		[10]int{ok200, ok200, ok200, ok200, ok200, ok200, ok200, u401, ok200, u401}},
	{route{"POST", "/api/v1/sessions"}, fixed("/api/v1/sessions", map[string]string{"title": "Planning", "description": "Q3"}),
		[10]int{c201, c201, c201, c201, c201, c201, f403, u401, c201, u401}},
	{route{"GET", "/api/v1/sessions/{id}"}, onSession("", nil),
		[10]int{ok200, ok200, ok200, n404, ok200, ok200, ok200, u401, n404, u401}},
	{route{"PATCH", "/api/v1/sessions/{id}"}, onSession("", map[string]any{"title": "Renamed", "archived": true}),
		[10]int{ok200, f403, ok200, n404, f403, f403, f403, u401, n404, u401}},
	{route{"DELETE", "/api/v1/sessions/{id}"}, onSession("", nil),
		[10]int{n204, f403, n204, n404, f403, f403, f403, u401, n404, u401}},
	{route{"GET", "/api/v1/sessions/{id}/members"}, onSession("/members", nil),
		[10]int{ok200, ok200, ok200, n404, ok200, ok200, ok200, u401, n404, u401}},
	{route{"PUT", "/api/v1/sessions/{id}/members/{user_id}"}, onViewer(map[string]string{"access": "collaborate"}),
		[10]int{ok200, ok200, ok200, n404, f403, f403, f403, u401, n404, u401}},
	{route{"DELETE", "/api/v1/sessions/{id}/members/{user_id}"}, onViewer(nil),
		[10]int{n204, n204, n204, n404, f403, f403, f403, u401, n404, u401}},
	{route{"POST", "/api/v1/contacts/resolve"}, fixed("/api/v1/contacts/resolve", map[string]string{"input": "member@acme.test, +1 202 555 0143, bob@"}),
		[10]int{ok200, ok200, ok200, ok200, ok200, ok200, f403, u401, ok200, u401}},
	{route{"POST", "/api/v1/invitations/bulk"}, func(e *env) (string, any) {
		s := e.session()
		return "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "member@acme.test"}
	}, [10]int{ok200, ok200, f403, f403, f403, f403, f403, u401, n404, u401}},
	{route{"GET", "/api/v1/invitations/batches/{batch_id}"}, onBatch(""),
		[10]int{ok200, ok200, n404, n404, n404, n404, n404, u401, n404, u401}},
	{route{"GET", "/api/v1/invitations/batches/{batch_id}/pairs"}, onBatch("/pairs"),
		[10]int{ok200, ok200, n404, n404, n404, n404, n404, u401, n404, u401}},
	{route{"GET", "/api/v1/audit"}, fixed("/api/v1/audit?limit=5", nil),
		[10]int{ok200, f403, f403, f403, f403, f403, f403, u401, ok200, u401}},
	{route{"GET", "/api/v1/tokens"}, fixed("/api/v1/tokens", nil),
		[10]int{ok200, ok200, ok200, ok200, ok200, ok200, ok200, u401, ok200, u401}},
	{route{"POST", "/api/v1/tokens"}, fixed("/api/v1/tokens", map[string]string{"name": "ci"}),
		[10]int{c201, c201, c201, c201, c201, c201, c201, u401, c201, u401}},
	{route{"DELETE", "/api/v1/tokens/{id}"}, func(e *env) (string, any) {
		// A fresh token of the owner: only the owner may revoke it.
		e.newToken(e.users["owner"])
		toks, err := e.fx.Store.FindTokens(storetest.As(e.users["owner"]))
		if err != nil || len(toks) == 0 {
			e.t.Fatalf("FindTokens: %v", err)
		}
		newest := toks[0]
		for _, t := range toks {
			if t.ID > newest.ID {
				newest = t
			}
		}
		return "/api/v1/tokens/" + id(newest.ID), nil
	}, [10]int{n404, n404, n204, n404, n404, n404, n404, u401, n404, u401}},
}

func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, unlimited)
	served := apiRoutes(t, e)
	var inTable []route
	for _, r := range matrix {
		inTable = append(inTable, r.route)
	}
	for _, r := range served {
		if !slices.Contains(inTable, r) {
			t.Errorf("route %s is served but has no row in the authorization matrix", r)
		}
	}
	for _, r := range inTable {
		if !slices.Contains(served, r) {
			t.Errorf("route %s has a row in the matrix but is not in the OpenAPI document", r)
		}
	}
	for _, row := range matrix {
		t.Run(row.route.String(), func(t *testing.T) {
			for i, persona := range personas {
				path, body := row.build(e)
				got := e.do(persona, row.route.method, path, body)
				if got.status != row.want[i] {
					t.Errorf("%s as %s: status %d, want %d; body %s", row.route, persona, got.status, row.want[i], got.body)
				}
				if got.status >= 400 && strings.HasPrefix(path, "/api/") {
					wantProblem(t, got, got.status, row.route.String()+" as "+persona)
				}
			}
		})
	}
}
