package web_test

import (
	"convene/internal/storetest"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"convene"
)

// writeRoute is a write endpoint with a request that would be valid: the
// malformed cases each break it in one way.
type writeRoute struct {
	route    route
	params   map[string]string // path parameters
	body     map[string]any    // nil: the route takes no body
	required []string          // fields the request cannot do without
	readOnly bool              // answers 200 to odd but well-formed input, writing nothing
}

func (w writeRoute) path(params map[string]string) string {
	p := w.route.path
	for k, v := range params {
		p = strings.ReplaceAll(p, "{"+k+"}", v)
	}
	return p
}

// moreWriteRoutes lets other files' tests add their write endpoints to the
// malformed-request table, from an init function; a served write route
// missing from the table fails TestMalformedRequests.
var moreWriteRoutes []func(e *env) []writeRoute

func writeRoutes(e *env) []writeRoute {
	var more []writeRoute
	for _, f := range moreWriteRoutes {
		more = append(more, f(e)...)
	}
	return append(baseWriteRoutes(e), more...)
}

func baseWriteRoutes(e *env) []writeRoute {
	s := e.session()
	viewer := e.users["viewer"]
	tokenOwner := e.users["admin"]
	e.newToken(tokenOwner)
	toks, err := e.fx.Store.FindTokens(storetest.As(tokenOwner))
	if err != nil {
		e.t.Fatal(err)
	}
	target := e.fresh(convene.RoleMember)
	return []writeRoute{
		{route: route{"POST", "/api/v1/auth/login"}, body: map[string]any{"tenant": "acme", "login": "admin@acme.test", "password": "wrong password"},
			required: []string{"tenant", "login", "password"}, readOnly: true},
		{route: route{"POST", "/api/v1/auth/logout"}},
		{route: route{"POST", "/api/v1/tokens"}, body: map[string]any{"name": "ci"}},
		{route: route{"DELETE", "/api/v1/tokens/{id}"}, params: map[string]string{"id": id(toks[0].ID)}},
		{route: route{"PATCH", "/api/v1/tenant"}, body: map[string]any{"name": "Acme 2", "default_region": "DE", "phone_alias_domain": "alias.test", "guests_allowed": false, "invitation_ttl_hours": 24}},
		{route: route{"POST", "/api/v1/users"}, body: map[string]any{"name": "New Person", "email": "new.person@acme.test", "role": "member", "password": "a long password"},
			required: []string{"name", "email"}},
		{route: route{"PATCH", "/api/v1/users/{id}"}, params: map[string]string{"id": id(target.ID)}, body: map[string]any{"name": "Renamed", "role": "session_admin", "disabled": true}},
		{route: route{"POST", "/api/v1/sessions"}, body: map[string]any{"title": "Planning", "description": "Q3"}, required: []string{"title"}},
		{route: route{"PATCH", "/api/v1/sessions/{id}"}, params: map[string]string{"id": id(s.ID)}, body: map[string]any{"title": "Renamed", "description": "new", "archived": true}},
		{route: route{"DELETE", "/api/v1/sessions/{id}"}, params: map[string]string{"id": id(s.ID)}},
		{route: route{"PUT", "/api/v1/sessions/{id}/members/{user_id}"}, params: map[string]string{"id": id(s.ID), "user_id": id(viewer.ID)},
			body: map[string]any{"access": "collaborate"}, required: []string{"access"}},
		{route: route{"DELETE", "/api/v1/sessions/{id}/members/{user_id}"}, params: map[string]string{"id": id(s.ID), "user_id": id(viewer.ID)}},
		{route: route{"POST", "/api/v1/contacts/resolve"}, body: map[string]any{"input": "member@acme.test"}, readOnly: true},
		{route: route{"POST", "/api/v1/invitations/bulk"}, body: map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "member@acme.test", "access": "view"},
			required: []string{"session_ids", "contacts"}},
	}
}

// multiLine fields take line breaks legitimately.
var multiLine = []string{"description", "contacts", "input", "password", "body"}

// badCase is one malformed request: it returns the path parameters and the
// raw body to send, or ok false when it does not apply to the route.
type badCase struct {
	name  string
	apply func(w writeRoute) (params map[string]string, body []byte, ok bool)
}

func toJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func rawBody(name string, body string) badCase {
	return badCase{name, func(w writeRoute) (map[string]string, []byte, bool) { return w.params, []byte(body), true }}
}

// withBody applies f to a copy of the route's valid body.
func withBody(name string, f func(body map[string]any) ([]byte, bool)) badCase {
	return badCase{name, func(w writeRoute) (map[string]string, []byte, bool) {
		if w.body == nil {
			return nil, nil, false
		}
		b, ok := f(maps.Clone(w.body))
		return w.params, b, ok
	}}
}

// eachField makes one case per field of the valid body.
func eachField(name string, f func(w writeRoute, field string, body map[string]any) bool) func(w writeRoute) []badCase {
	return func(w writeRoute) []badCase {
		var out []badCase
		for _, field := range slices.Sorted(maps.Keys(w.body)) {
			out = append(out, badCase{name + " " + field, func(w writeRoute) (map[string]string, []byte, bool) {
				body := maps.Clone(w.body)
				if !f(w, field, body) {
					return nil, nil, false
				}
				return w.params, toJSON(body), true
			}})
		}
		return out
	}
}

func eachParam(name, value string) func(w writeRoute) []badCase {
	return func(w writeRoute) []badCase {
		var out []badCase
		for _, k := range slices.Sorted(maps.Keys(w.params)) {
			out = append(out, badCase{name + " " + k, func(w writeRoute) (map[string]string, []byte, bool) {
				params := maps.Clone(w.params)
				params[k] = value
				var body []byte
				if w.body != nil {
					body = toJSON(w.body)
				}
				return params, body, true
			}})
		}
		return out
	}
}

var tenMB = `{"title":"` + strings.Repeat("a", 10<<20) + `"}`

// badCases are the malformed requests, the same for every route.
var badCases = []badCase{
	rawBody("null", `null`),
	rawBody("array", `[]`),
	rawBody("string", `"text"`),
	rawBody("number", `42`),
	rawBody("boolean", `true`),
	rawBody("truncated", `{"title":`),
	rawBody("two values", `{"a":1}{"b":2}`),
	rawBody("invalid UTF-8", "{\"title\":\"\xff\xfe\",\"name\":\"\xc3\x28\"}"),
	rawBody("10 MB", tenMB),
	rawBody("deep nesting", strings.Repeat("[", 500)+strings.Repeat("]", 500)),
	rawBody("byte order mark", "\ufeff{}"),
	rawBody("single quotes", `{'title':'x'}`),
	rawBody("comment", `{/* x */}`),
	rawBody("trailing comma", `{"title":"x",}`),
	rawBody("NaN", `{"title":NaN}`),
	rawBody("whitespace only", "  \n "),
	withBody("unknown field", func(b map[string]any) ([]byte, bool) { b["unknown_field_xyz"] = "x"; return toJSON(b), true }),
	withBody("duplicate key", func(b map[string]any) ([]byte, bool) {
		k := slices.Sorted(maps.Keys(b))[0]
		j := toJSON(b)
		dup := fmt.Sprintf(`{%q:%s,`, k, toJSON(b[k]))
		return append([]byte(dup), j[1:]...), true
	}),
	withBody("upper-case key", func(b map[string]any) ([]byte, bool) {
		out := map[string]any{}
		for k, v := range b {
			out[strings.ToUpper(k)] = v
		}
		return toJSON(out), true
	}),
	withBody("case-folded duplicate key", func(b map[string]any) ([]byte, bool) {
		k := slices.Sorted(maps.Keys(b))[0]
		j := toJSON(b)
		dup := fmt.Sprintf(`{%q:%s,`, strings.ToUpper(k), toJSON(b[k]))
		return append([]byte(dup), j[1:]...), true
	}),
}

// perRoute are the cases made for each field or path parameter of a route.
var perRoute = []func(w writeRoute) []badCase{
	eachField("object in", func(_ writeRoute, f string, b map[string]any) bool { b[f] = map[string]any{"o": 1}; return true }),
	eachField("nested array in", func(_ writeRoute, f string, b map[string]any) bool { b[f] = [][]string{{"x"}}; return true }),
	eachField("huge number in", func(_ writeRoute, f string, b map[string]any) bool { b[f] = json.Number("1e400"); return true }),
	eachField("negative number in", func(_ writeRoute, f string, b map[string]any) bool { b[f] = -1; return true }),
	eachField("null in", func(_ writeRoute, f string, b map[string]any) bool { b[f] = nil; return true }),
	eachField("missing", func(w writeRoute, f string, b map[string]any) bool {
		delete(b, f)
		return slices.Contains(w.required, f)
	}),
	eachField("CR/LF in", func(_ writeRoute, f string, b map[string]any) bool {
		switch v := b[f].(type) {
		case string:
			b[f] = v + "\r\nInjected: yes"
			return !slices.Contains(multiLine, f)
		case []string:
			b[f] = []string{v[0] + "\r\n2"}
			return true
		}
		return false
	}),
	eachField("NUL in", func(_ writeRoute, f string, b map[string]any) bool { // passwords too: refused before anything
		v, ok := b[f].(string)
		b[f] = v + "\x00"
		return ok
	}),
	eachField("100k characters in", func(_ writeRoute, f string, b map[string]any) bool {
		_, ok := b[f].(string)
		b[f] = strings.Repeat("é", 100001) // one more than the longest field (a note's body)
		return ok
	}),
	eachField("string instead of list in", func(_ writeRoute, f string, b map[string]any) bool {
		_, ok := b[f].([]string)
		b[f] = "1"
		return ok && f == "session_ids"
	}),
	eachField("huge id in", func(_ writeRoute, f string, b map[string]any) bool {
		b[f] = []string{"99999999999999999999999"}
		return f == "session_ids"
	}),
	eachField("number id in", func(_ writeRoute, f string, b map[string]any) bool {
		b[f] = []int{1}
		return f == "session_ids"
	}),
	eachParam("huge id", "99999999999999999999999"),
	eachParam("int64 overflow", "9223372036854775808"),
	eachParam("negative id", "-1"),
	eachParam("zero id", "0"),
	eachParam("word id", "abc"),
	eachParam("float id", "1.5"),
	eachParam("exponent id", "1e3"),
	eachParam("NUL id", "%00"),
}

func TestMalformedRequests(t *testing.T) {
	e := newEnv(t, unlimited)
	routes := writeRoutes(e)

	// Every write endpoint served is in the table.
	for _, r := range apiRoutes(t, e) {
		if r.method == http.MethodGet {
			continue
		}
		if !slices.ContainsFunc(routes, func(w writeRoute) bool { return w.route == r }) {
			t.Errorf("write route %s is missing from the malformed-request table", r)
		}
	}

	total := 0
	for _, w := range routes {
		cases := slices.Clone(badCases)
		for _, f := range perRoute {
			cases = append(cases, f(w)...)
		}
		t.Run(w.route.String(), func(t *testing.T) {
			for _, c := range cases {
				params, body, ok := c.apply(w)
				if !ok {
					continue
				}
				total++
				before := e.snapshot(t)
				req := e.request(w.route.method, w.path(params), body)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
				got := e.send(e.srv.Client(), req)
				switch {
				case got.status >= 500:
					t.Errorf("%s: status %d; body %.300s", c.name, got.status, got.body)
				case got.status < 400 && !w.readOnly:
					t.Errorf("%s: status %d, want an error; body %.300s", c.name, got.status, got.body)
				case got.status >= 400:
					wantProblem(t, got, got.status, c.name)
				}
				e.wantNoWrites(t, before, fmt.Sprintf("%s (status %d)", c.name, got.status))
			}
		})
	}
	t.Logf("%d malformed requests over %d routes", total, len(routes))
}
