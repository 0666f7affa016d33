package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"convene"
	"convene/internal/httpd"
)

type healthOutput struct {
	Body struct {
		Status string `json:"status" example:"ok"`
	}
}

func (s *Server) health(ctx context.Context, _ *struct{}) (*healthOutput, error) {
	if err := s.store.Ping(ctx); err != nil {
		s.log.ErrorContext(ctx, "health check failed", "error", err)
		return nil, httpd.NewProblem(http.StatusServiceUnavailable, "", "the database does not answer")
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
		s.WriteProblem(w, r, convene.Errorf(convene.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
		return
	}
	allow := strings.Join(allowed, ", ")
	p := httpd.NewProblem(http.StatusMethodNotAllowed, "", fmt.Sprintf("%s does not take %s; it takes %s", r.URL.Path, r.Method, allow))
	p.GetHeaders().Set("Allow", allow)
	s.WriteProblem(w, r, p)
}
