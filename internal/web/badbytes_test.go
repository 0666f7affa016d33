package web_test

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"

	"convene/internal/postgres"
	"convene/internal/web"
)

// The bad values: a NUL and invalid UTF-8 (an overlong NUL, a byte that
// never starts a character), percent-encoded in URLs, raw or escaped as
// JSON writes them inside a string literal, raw in a header.
var (
	badInURL    = []string{"%00", "a%00b", "%C0%80", "%FF"}
	badInJSON   = []string{`x\u0000y`, "x\xc0\x80y", "\xff"}
	badInHeader = "x\xffy"
)

const placeholder = "BAD-BYTES-GO-HERE"

// byteCase is one request that carries bad bytes, and the field its
// problem must name.
type byteCase struct {
	name, method, path string
	body               []byte
	header             []string // name, value pairs set over the admin's token
	field              string
}

// eachDatabase runs f on a server over SQLite and one over PostgreSQL.
func eachDatabase(t *testing.T, f func(t *testing.T, e *env), opts ...func(*web.Config)) {
	t.Run("SQLite", func(t *testing.T) { f(t, newEnv(t, opts...)) })
	t.Run("PostgreSQL", func(t *testing.T) { f(t, newEnvOn(t, postgres.OpenTestDB(t), opts...)) })
}

// TestBadBytes sends a NUL and invalid UTF-8 in every path parameter,
// query parameter, header parameter and JSON string (at any depth) of
// every API operation, and in every path parameter, query and form field
// of every dashboard route: each answers 422 (a problem naming the field,
// or the error page) and writes nothing.
func TestBadBytes(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		ops, named := apiOperations(t, e)
		total := 0
		for _, op := range ops {
			cases := apiByteCases(t, op, named)
			total += len(cases)
			before := e.snapshot(t)
			for _, c := range cases {
				p := wantProblem(t, e.sendCase(c), http.StatusUnprocessableEntity, c.name)
				if len(p.Errors) != 1 || p.Errors[0].Field != c.field {
					t.Errorf("%s: errors %+v, want one naming %q", c.name, p.Errors, c.field)
				}
			}
			e.wantNoWrites(t, before, op.route.String()+": refused requests")
		}
		fields, pages := formFields(t), pageRoutes(t)
		if len(pages) == 0 || len(fields) == 0 {
			t.Fatalf("found %d dashboard routes and %d form fields in the source: the scan is broken", len(pages), len(fields))
		}
		for _, r := range pages {
			cases := pageByteCases(r, fields)
			total += len(cases)
			before := e.snapshot(t)
			for _, c := range cases {
				wantErrorPage(t, e.sendCase(c), c.name)
			}
			e.wantNoWrites(t, before, fmt.Sprint(r)+": refused requests")
		}
		t.Logf("%d requests with bad bytes over %d operations and %d dashboard routes", total, len(ops), len(pages))
	}, unlimited)
}

// apiByteCases are the bad-bytes requests of one operation: in the token,
// in each parameter (and one it does not declare), in each body string.
func apiByteCases(t *testing.T, op apiOperation, named map[string]*schema) []byteCase {
	at := func(what string, path string) byteCase {
		return byteCase{name: op.route.String() + ": " + what, method: op.route.method, path: path}
	}
	plain := fillPath(op.route.path, "", "")
	auth := at("Authorization", plain)
	auth.header, auth.field = []string{"Authorization", "Bearer " + badInHeader}, "Authorization"
	cases := []byteCase{auth}
	for _, p := range append(slices.Clone(op.params), apiParam{"query", "undeclared"}) {
		values := map[string][]string{"path": {"%00", "%FF"}, "query": badInURL, "header": {badInHeader}}[p.In]
		if values == nil {
			t.Errorf("%s: parameter %s in %s has no bad-bytes cases", op.route, p.Name, p.In)
		}
		for _, v := range values {
			c := at(fmt.Sprintf("%s %s=%q", p.In, p.Name, v), plain)
			switch p.In {
			case "path":
				c.path = fillPath(op.route.path, p.Name, v)
			case "query":
				c.path += "?" + p.Name + "=" + v
			case "header":
				c.header = []string{p.Name, v}
			}
			c.field = p.Name
			cases = append(cases, c)
		}
	}
	for ct, s := range op.bodies {
		if ct == "multipart/form-data" {
			cases = append(cases, uploadByteCases(op, plain)...)
			continue
		}
		if ct != "application/json" {
			cases = append(cases, fileByteCases(t, op, ct)...)
			continue
		}
		for _, c := range bodyByteCases(t, named, s) {
			c.name, c.method, c.path = op.route.String()+": "+c.name, op.route.method, plain
			cases = append(cases, c)
		}
	}
	return cases
}

// uploadByteCases are uploads whose file name holds bad bytes: the
// middleware streams multipart bodies on unread, and the handler refuses
// the name.
func uploadByteCases(op apiOperation, path string) []byteCase {
	var cases []byteCase
	// A NUL breaks the part's header itself: the body is refused whole.
	field := map[string]string{"a\x00b": "body", "a\xffb": "name", "a\xc0\x80b": "name"}
	for _, v := range []string{"a\x00b", "a\xffb", "a\xc0\x80b"} {
		body := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + v + ".txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B--\r\n"
		cases = append(cases, byteCase{name: fmt.Sprintf("%s: file name %q", op.route, v), method: op.route.method, path: path,
			body: []byte(body), header: []string{"Content-Type", "multipart/form-data; boundary=B"}, field: field[v]})
	}
	return cases
}

// bodyByteCases are bodies of schema s with bad bytes in a field name and
// in each string it can hold.
func bodyByteCases(t *testing.T, named map[string]*schema, s *schema) []byteCase {
	cases := []byteCase{{name: "field name", body: []byte(`{"x\u0000":"y"}`), field: "body"}}
	for _, sl := range stringSlots(t, named, s, "", func(v any) any { return v }) {
		for _, v := range badInJSON {
			body := bytes.Replace(toJSON(sl.body(placeholder)), []byte(placeholder), []byte(v), 1)
			cases = append(cases, byteCase{name: fmt.Sprintf("body %s=%q", sl.field, v), body: body, field: cmp.Or(sl.field, "body")})
		}
	}
	return cases
}

// pageByteCases are the bad-bytes requests of one dashboard route: each
// path parameter, a query, and each form field on routes that take posts.
func pageByteCases(r pageRoute, fields []string) []byteCase {
	path := func(param, v string) string { return fillPath(r.path, param, v) }
	cases := []byteCase{
		{name: r.String() + " query", method: r.method, path: path("", "") + "?next=%00"},
		{name: r.String() + " query", method: r.method, path: path("", "") + "?workspace=%C0%80"},
	}
	for _, p := range r.params {
		for _, v := range []string{"%00", "%FF"} {
			cases = append(cases, byteCase{name: fmt.Sprintf("%s %s=%s", r, p, v), method: r.method, path: path(p, v)})
		}
	}
	if r.method == http.MethodGet {
		return cases
	}
	for _, f := range fields {
		for _, v := range []string{"%00", "%FF"} {
			cases = append(cases, byteCase{name: fmt.Sprintf("%s form %s=%s", r, f, v), method: r.method, path: path("", ""),
				body: []byte("other=fine&" + f + "=" + v), header: []string{"Content-Type", "application/x-www-form-urlencoded"}})
		}
	}
	return cases
}

// fillPath puts v in parameter param of a route's path, and 1 in the others.
func fillPath(path, param, v string) string {
	return wildcard.ReplaceAllStringFunc(path, func(m string) string {
		if wildcard.FindStringSubmatch(m)[1] == param {
			return v
		}
		return "1"
	})
}

// sendCase sends c as the admin.
func (e *env) sendCase(c byteCase) *resp {
	e.t.Helper()
	var body any
	if c.body != nil {
		body = c.body
	}
	req := e.request(c.method, c.path, body)
	req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
	for i := 0; i+1 < len(c.header); i += 2 {
		req.Header.Set(c.header[i], c.header[i+1])
	}
	return e.send(e.srv.Client(), req)
}

// wantErrorPage checks that r is the dashboard's page for a refused request.
func wantErrorPage(t *testing.T, r *resp, what string) {
	t.Helper()
	wantStatus(t, r, http.StatusUnprocessableEntity, what)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !bytes.Contains(r.body, []byte("This request could not be read")) {
		t.Errorf("%s: %s %.200s, want the error page", what, ct, r.body)
	}
}

// TestBadBytesRaw sends the bytes themselves, not percent-encoded, on a
// connection of its own: what an HTTP client library would not send.
func TestBadBytesRaw(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		auth := "Authorization: Bearer " + e.tokens["admin"] + "\r\n"
		tests := []struct {
			name, request string
			want          int
			field         string
		}{
			{"path", "GET /api/v1/sessions/\xff HTTP/1.1\r\n" + auth, 422, "id"},
			{"query", "GET /api/v1/sessions?q=a\xc0\x80 HTTP/1.1\r\n" + auth, 422, "q"},
			{"body", "POST /api/v1/sessions HTTP/1.1\r\n" + auth + "Content-Type: application/json\r\n" + rawBodyOf("{\"title\":\"\xff\"}"), 422, "title"},
			// net/http refuses control bytes in headers and in the request
			// line before any handler.
			{"NUL in a header", "GET /api/v1/me HTTP/1.1\r\nAuthorization: Bearer a\x00b\r\n", 400, ""},
			{"NUL in the path", "GET /api/v1/sessions/\x00 HTTP/1.1\r\n" + auth, 400, ""},
		}
		for _, tt := range tests {
			before := e.snapshot(t)
			if !strings.Contains(tt.request, "\r\n\r\n") {
				tt.request += "\r\n"
			}
			got := e.rawRequest(strings.Replace(tt.request, "\r\n", "\r\nHost: convene.test\r\nConnection: close\r\n", 1))
			if tt.want == 422 {
				p := wantProblem(t, got, tt.want, tt.name)
				if len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
					t.Errorf("%s: errors %+v, want one naming %q", tt.name, p.Errors, tt.field)
				}
			} else {
				wantStatus(t, got, tt.want, tt.name)
			}
			e.wantNoWrites(t, before, tt.name+": the refused request")
		}
	})
}

// rawBodyOf is the end of a raw request's headers and its body.
func rawBodyOf(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

// rawRequest writes request to the server as is and reads the answer.
func (e *env) rawRequest(request string) *resp {
	e.t.Helper()
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, request); err != nil {
		e.t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		e.t.Fatalf("%q: %v", request, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &resp{status: res.StatusCode, header: res.Header, body: body}
}
