package api

import (
	"context"
	"net/http"

	"convene/internal/httpd"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"convene"
)

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
	if _, err := httpd.ActorUser(hctx.Context()); err != nil {
		r, w := humago.Unwrap(hctx)
		s.WriteProblem(w, r, err)
		return
	}
	next(hctx)
}

// needs makes an operation check a tenant-wide permission before huma reads
// the request: 403 comes before 422. The handler checks again.
func (s *Server) needs(op huma.Operation, perm convene.Permission) huma.Operation {
	op.Middlewares = append(op.Middlewares, func(hctx huma.Context, next func(huma.Context)) {
		a, _ := httpd.ActorUser(hctx.Context())
		if err := convene.Authorize(a, perm, nil, ""); err != nil {
			r, w := humago.Unwrap(hctx)
			s.WriteProblem(w, r, err)
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

// authorize returns the signed-in actor if they hold perm (a tenant-wide
// permission): EUNAUTHORIZED when nobody is signed in, EFORBIDDEN otherwise.
func (s *Server) authorize(ctx context.Context, perm convene.Permission) (convene.Actor, error) {
	a, err := httpd.ActorUser(ctx)
	if err != nil {
		return a, s.Err(ctx, err)
	}
	if err := convene.Authorize(a, perm, nil, ""); err != nil {
		return a, s.Err(ctx, err)
	}
	return a, nil
}

// signedIn returns the signed-in actor, or EUNAUTHORIZED.
func (s *Server) signedIn(ctx context.Context) (convene.Actor, error) {
	a, err := httpd.ActorUser(ctx)
	return a, s.Err(ctx, err)
}

// ctxKey types the context keys of this package.
type ctxKey int

const rwKey ctxKey = 1

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
	err := httpd.BodyErr(r.Context())
	if err == nil && hctx.Operation().RequestBody == nil && r.ContentLength > 0 {
		err = convene.FieldErrorf("body", "this request takes no body")
	}
	if err != nil {
		s.WriteProblem(w, r, err)
		return
	}
	next(hctx)
}

// reqResp returns the request and response writer of an operation's ctx.
func reqResp(ctx context.Context) (*http.Request, http.ResponseWriter) {
	rw := ctx.Value(rwKey).(reqAndWriter)
	return rw.r, rw.w
}
