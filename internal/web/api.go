package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"convene"
)

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
		"cookie": {Type: "apiKey", In: "cookie", Name: CookieName, Description: "a login session"},
	}
	c.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
	// Paths are absolute (/api/v1/..., /healthz): the server is the one
	// that serves the document, whatever its address.
	c.Servers = []*huma.Server{{URL: "/", Description: "the server that serves this document"}}
	c.OnAddOperation = append(c.OnAddOperation, describeOperation) // api_describe.go
	return c
}

// op describes one operation. Every operation answers problem documents for
// the errors listed in errs, and takes bodies up to the server's limit.
func (s *Server) op(method, path, id, summary, tag string, errs ...int) huma.Operation {
	return huma.Operation{
		OperationID:  id,
		Method:       method,
		Path:         path,
		Summary:      summary,
		Tags:         []string{tag},
		MaxBodyBytes: s.cfg.MaxBodyBytes + 1,
		// Not huma's 5 s default: a read deadline left on the connection
		// cancels the request's work (see boundBody, which bounds the body
		// instead). -1 makes huma clear the deadline, harmless here: by then
		// checkBody has read the body whole.
		BodyReadTimeout: -1,
		Errors:          errs,
		Middlewares:     huma.Middlewares{s.requireUser, s.checkedBody},
	}
}

// public marks an operation that needs no credentials.
func (s *Server) public(op huma.Operation) huma.Operation {
	op.Security = []map[string][]string{}
	op.Middlewares = huma.Middlewares{s.checkedBody}
	return op
}

// requireUser answers 401 before huma reads the request, so that nobody
// learns anything about an operation, not even how it validates, without
// signing in.
func (s *Server) requireUser(hctx huma.Context, next func(huma.Context)) {
	if _, err := actorUser(hctx.Context()); err != nil {
		r, w := humago.Unwrap(hctx)
		s.writeProblem(w, r, err)
		return
	}
	next(hctx)
}

// needs makes an operation check a tenant-wide permission before huma reads
// the request: 403 comes before 422. The handler checks again.
func (s *Server) needs(op huma.Operation, perm convene.Permission) huma.Operation {
	op.Middlewares = append(op.Middlewares, func(hctx huma.Context, next func(huma.Context)) {
		a, _ := actorUser(hctx.Context())
		if err := convene.Authorize(a, perm, nil, ""); err != nil {
			r, w := humago.Unwrap(hctx)
			s.writeProblem(w, r, err)
			return
		}
		next(hctx)
	})
	return op
}

func status(op huma.Operation, code int) huma.Operation {
	op.DefaultStatus = code
	return op
}

// err turns a domain error into the problem huma writes.
func (s *Server) err(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	return s.problem(ctx, err)
}

// authorize returns the signed-in actor if they hold perm (a tenant-wide
// permission): EUNAUTHORIZED when nobody is signed in, EFORBIDDEN otherwise.
func (s *Server) authorize(ctx context.Context, perm convene.Permission) (convene.Actor, error) {
	a, err := actorUser(ctx)
	if err != nil {
		return a, s.err(ctx, err)
	}
	if err := convene.Authorize(a, perm, nil, ""); err != nil {
		return a, s.err(ctx, err)
	}
	return a, nil
}

// signedIn returns the signed-in actor, or EUNAUTHORIZED.
func (s *Server) signedIn(ctx context.Context) (convene.Actor, error) {
	a, err := actorUser(ctx)
	return a, s.err(ctx, err)
}

const rwKey ctxKey = 100

type reqAndWriter struct {
	r *http.Request
	w http.ResponseWriter
}

// keepRequest gives handlers that need them (sign-in sets cookies) the
// request and response writer of their operation: see reqResp.
func keepRequest(hctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(hctx)
	next(huma.WithValue(hctx, rwKey, reqAndWriter{r, w}))
}

// checkedBody refuses a body that checkBody found wrong, and any body sent
// to an operation that takes none: whatever the client meant by it, doing
// the operation without it could be a change they did not ask for. It runs
// after requireUser, so that an anonymous caller gets 401 rather than
// learning how an operation validates; size limits (413) apply earlier.
func (s *Server) checkedBody(hctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(hctx)
	err := infoFrom(r.Context()).bodyErr
	if err == nil && hctx.Operation().RequestBody == nil && r.ContentLength > 0 {
		err = convene.FieldErrorf("body", "this request takes no body")
	}
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	next(hctx)
}

// reqResp returns the request and response writer of an operation's ctx.
func reqResp(ctx context.Context) (*http.Request, http.ResponseWriter) {
	rw := ctx.Value(rwKey).(reqAndWriter)
	return rw.r, rw.w
}

type healthOutput struct {
	Body struct {
		Status string `json:"status" example:"ok"`
	}
}

func (s *Server) registerHealth(api huma.API) {
	huma.Register(api, s.public(s.op(http.MethodGet, "/healthz", "health", "Whether the server and its database answer", "meta", 503)), s.health)
}

func (s *Server) health(ctx context.Context, _ *struct{}) (*healthOutput, error) {
	if err := s.store.Ping(ctx); err != nil {
		s.log.ErrorContext(ctx, "health check failed", "error", err)
		return nil, newProblem(http.StatusServiceUnavailable, "", "the database does not answer")
	}
	out := &healthOutput{}
	out.Body.Status = "ok"
	return out, nil
}

// apiMethods are the methods an operation of /api/v1 may take.
var apiMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// unknownEndpoint answers a request under /api/v1 that no operation takes:
// 405 with an Allow header when the path is served with other methods,
// 404 when it is not served at all.
func (s *Server) unknownEndpoint(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range apiMethods {
		probe := r.WithContext(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != r.Pattern {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) == 0 {
		s.writeProblem(w, r, convene.Errorf(convene.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
		return
	}
	allow := strings.Join(allowed, ", ")
	p := newProblem(http.StatusMethodNotAllowed, "", fmt.Sprintf("%s does not take %s; it takes %s", r.URL.Path, r.Method, allow))
	p.GetHeaders().Set("Allow", allow)
	s.writeProblem(w, r, p)
}
