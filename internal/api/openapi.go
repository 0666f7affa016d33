package api

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"convene/internal/httpd"

	"github.com/danielgtaylor/huma/v2"
)

// The OpenAPI document must describe every answer the server gives, and
// many answers come from the middleware in front of every operation rather
// than from its handler. describeOperation, a hook of the OpenAPI document
// that huma runs for each operation it adds, declares those once, so that a
// new operation gets them by construction. The test helper in
// internal/api/apicheck checks every answer of the API tests against the
// document, so a status that is missing here fails a test.

// sharedProblem is an error status that operations answer whatever their
// handler does, with the reason a client may get it.
type sharedProblem struct {
	status  int
	applies func(op *huma.Operation) bool
	why     string
}

var sharedProblems = []sharedProblem{
	{http.StatusUnauthorized, underAPI, "the bearer token does not authenticate (refused on every route under /api/), or nobody is signed in"},
	{http.StatusForbidden, unsafeMethod, "not allowed, or a cross-origin request with a session cookie was refused"},
	{http.StatusConflict, unsafeMethod, "the change conflicts with the current state (a uniqueness rule, an idempotency key, the session's owner, or a concurrent change of the same thing: contract section 12)"},
	{http.StatusRequestEntityTooLarge, unsafeMethod, "the request body is larger than the server's limit"},
	{http.StatusUnsupportedMediaType, takesBody, "the body is not sent as JSON"},
	{http.StatusUnprocessableEntity, always, "invalid input: a field, a parameter, a body that is not one JSON value, or a NUL or invalid UTF-8 anywhere in the request"},
	{http.StatusInternalServerError, always, "internal error"},
	{http.StatusServiceUnavailable, always, "a store the request needs (the database, shared rate limits) does not answer; try again later"},
}

func always(*huma.Operation) bool       { return true }
func underAPI(op *huma.Operation) bool  { return strings.HasPrefix(op.Path, "/api/") }
func takesBody(op *huma.Operation) bool { return op.RequestBody != nil }
func unsafeMethod(op *huma.Operation) bool {
	return op.Method != http.MethodGet && op.Method != http.MethodHead
}

// describeOperation completes op's description: the shared problem
// statuses, the headers problems carry, no catch-all "default" answer (it
// would hide an undeclared status), and null among the values of nullable
// enums.
func describeOperation(oapi *huma.OpenAPI, op *huma.Operation) {
	schema := oapi.Components.Schemas.Schema(reflect.TypeFor[httpd.Problem](), true, "httpd.Problem")
	for _, p := range sharedProblems {
		code := strconv.Itoa(p.status)
		if _, ok := op.Responses[code]; ok || !p.applies(op) {
			continue
		}
		op.Responses[code] = &huma.Response{
			Description: http.StatusText(p.status) + ": " + p.why,
			Content:     map[string]*huma.MediaType{"application/problem+json": {Schema: schema}},
		}
	}
	delete(op.Responses, "default")
	describeHeader(op, http.StatusTooManyRequests, "Retry-After", "integer", "seconds to wait before trying again")
	describeHeader(op, http.StatusUnauthorized, "WWW-Authenticate", "string", `Bearer error="invalid_token" when a bearer token was refused`)
	for _, s := range oapi.Components.Schemas.Map() {
		allowNullInEnums(s)
	}
}

// describeHeader declares header on op's answer of status, if it has one.
func describeHeader(op *huma.Operation, status int, name, typ, doc string) {
	r := op.Responses[strconv.Itoa(status)]
	if r == nil {
		return
	}
	if r.Headers == nil {
		r.Headers = map[string]*huma.Header{}
	}
	r.Headers[name] = &huma.Header{Description: doc, Schema: &huma.Schema{Type: typ}}
}

// allowNullInEnums adds null to the values of s's nullable properties that
// have an enum: in JSON Schema 2020-12 the enum applies to null too, so
// huma's `"type": ["string", "null"]` with an enum of strings alone refuses
// the null the server answers.
func allowNullInEnums(s *huma.Schema) {
	for _, p := range s.Properties {
		if p.Nullable && len(p.Enum) > 0 && !slices.Contains(p.Enum, any(nil)) {
			p.Enum = append(p.Enum, nil)
		}
	}
}

// apiConfig is huma's configuration: the OpenAPI 3.1 document at
// /api/v1/openapi.json, no docs page (it loads scripts from a CDN), no
// $schema links in answers, and the problem answers every operation may
// give declared once (describeOperation).
func (s *Server) apiConfig() huma.Config {
	c := huma.DefaultConfig("Convene API", "1.0.0")
	c.OpenAPIPath = "/api/v1/openapi"
	c.DocsPath = ""
	c.SchemasPath = ""
	c.CreateHooks = nil
	c.Info.Description = "The HTTP API of Convene. Ids are decimal strings. Errors are RFC 9457 problem documents."
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "an API token"},
		"cookie": {Type: "apiKey", In: "cookie", Name: httpd.CookieName, Description: "a login session"},
	}
	c.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
	// Paths are absolute (/api/v1/..., /healthz): the server is the one
	// that serves the document, whatever its address.
	c.Servers = []*huma.Server{{URL: "/", Description: "the server that serves this document"}}
	c.OnAddOperation = append(c.OnAddOperation, describeOperation)
	return c
}
