package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"convene"
)

// apiConfig is huma's configuration: the OpenAPI 3.1 document at
// /api/v1/openapi.json, no docs page (it loads scripts from a CDN), and no
// $schema links in answers.
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
		Errors:       errs,
		Middlewares:  huma.Middlewares{s.requireUser},
	}
}

// public marks an operation that needs no credentials.
func public(op huma.Operation) huma.Operation {
	op.Security = []map[string][]string{}
	op.Middlewares = nil
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

// refuseBody answers 422 to a body sent to an operation that takes none:
// whatever the client meant by it, doing the operation without it could be
// a change they did not ask for.
func (s *Server) refuseBody(hctx huma.Context, next func(huma.Context)) {
	if hctx.Operation().RequestBody == nil {
		if r, w := humago.Unwrap(hctx); r.ContentLength > 0 {
			s.writeProblem(w, r, convene.FieldErrorf("body", "this request takes no body"))
			return
		}
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
	huma.Register(api, public(s.op(http.MethodGet, "/healthz", "health", "Whether the server and its database answer", "meta", 503)),
		func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
			if err := s.store.Ping(ctx); err != nil {
				s.log.ErrorContext(ctx, "health check failed", "error", err)
				p := newProblem(http.StatusServiceUnavailable, "", "the database does not answer")
				return nil, p
			}
			out := &healthOutput{}
			out.Body.Status = "ok"
			return out, nil
		})
}
