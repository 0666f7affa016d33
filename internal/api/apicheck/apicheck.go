// Package apicheck checks, in tests, that the HTTP API answers what its
// OpenAPI document says: every answer of an operation the document describes
// must have a declared status, a declared content type and a body that
// matches the schema. Tests route their clients through Client, so that the
// description cannot drift from the server without a test failing.
//
// Requests are not checked: tests send malformed ones on purpose, and it is
// the answers to those that must be described.
package apicheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"convene/internal/api"
	"convene/internal/httpd"
)

// DocumentPath is where the server serves its OpenAPI document.
const DocumentPath = "/api/v1/openapi.json"

// spec is the served document, loaded and validated once per test binary.
type spec struct {
	raw    []byte
	doc    *openapi3.T
	router routers.Router
	// problem is the schema of every error answer, described or not.
	problem *openapi3.Schema
}

var loadSpec = sync.OnceValues(func() (*spec, error) {
	raw, err := Served()
	if err != nil {
		return nil, err
	}
	doc, err := Load(raw)
	if err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("apicheck: routing the document: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("apicheck: the document has no Problem schema")
	}
	return &spec{raw: raw, doc: doc, router: router, problem: problem.Value}, nil
})

// Served returns the document as a server answers GET DocumentPath. The
// document depends on no configuration or data, so a server without a store
// serves the same bytes as any other; asking it in process keeps the
// requests a test counts (log lines, metrics) its own.
func Served() ([]byte, error) {
	rec := httptest.NewRecorder()
	srv := httpd.New(nil, httpd.Config{Logger: slog.New(slog.DiscardHandler)})
	api.Mount(srv)
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, DocumentPath, nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("apicheck: GET %s answered %d: %s", DocumentPath, rec.Code, rec.Body)
	}
	return rec.Body.Bytes(), nil
}

// Load parses raw as an OpenAPI document and validates it.
func Load(raw []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("apicheck: loading the document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("apicheck: the document is not valid: %w", err)
	}
	return doc, nil
}

// Check returns an error naming the operation, the status and what is wrong
// when an answer to req does not match the document. An answer to a path
// or method the document does not describe must only be a problem document
// when it is an error under /api/ (an unknown endpoint, a method the path
// does not take); the dashboard's pages are not checked.
func Check(req *http.Request, status int, header http.Header, body []byte) error {
	return check(req, status, header, body, false)
}

// isStream reports an answer of Server-Sent Events.
func isStream(res *http.Response) bool {
	return strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream")
}

func check(req *http.Request, status int, header http.Header, body []byte, noBody bool) error {
	s, err := loadSpec()
	if err != nil {
		return err
	}
	route, params, err := s.router.FindRoute(req)
	if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
		return s.checkUndescribed(req, status, header, body)
	}
	if err != nil {
		return fmt.Errorf("apicheck: routing %s %s: %w", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, ExcludeResponseBody: noBody},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("apicheck: %s %s (operation %s) answered %d %s, which the OpenAPI document does not describe: %v\nbody: %s",
			req.Method, req.URL.Path, route.Operation.OperationID, status, header.Get("Content-Type"), err, clip(body))
	}
	return nil
}

// checkUndescribed checks an answer to a path or method the document does
// not describe: an error under /api/ (unknown endpoint, method not allowed)
// must still be a problem document. Anything else is not the API's.
func (s *spec) checkUndescribed(req *http.Request, status int, header http.Header, body []byte) error {
	if status < 400 || !strings.HasPrefix(req.URL.Path, "/api/") {
		return nil
	}
	fail := func(why string, args ...any) error {
		return fmt.Errorf("apicheck: %s %s (no operation) answered %d %s, not a problem document: %s\nbody: %s",
			req.Method, req.URL.Path, status, header.Get("Content-Type"), fmt.Sprintf(why, args...), clip(body))
	}
	if ct := header.Get("Content-Type"); ct != "application/problem+json" {
		return fail("content type %q", ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fail("%v", err)
	}
	if err := s.problem.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
		return fail("%v", err)
	}
	return nil
}

// clip shortens a body for an error message.
func clip(b []byte) []byte {
	const most = 2000
	if len(b) > most {
		return append(b[:most:most], "..."...)
	}
	return b
}

// Client returns a copy of c whose answers are checked: an answer that does
// not match the document fails t (with Errorf, so that it is safe from any
// goroutine). A nil c is http.DefaultClient.
func Client(t testing.TB, c *http.Client) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	checked := *c
	checked.Transport = Transport(t, c.Transport)
	return &checked
}

// Transport wraps base (nil: http.DefaultTransport) so that every answer it
// returns is checked against the document, failing t when it does not match.
func Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if tr, ok := base.(*transport); ok && tr.t == t {
		return tr // already checked
	}
	return &transport{t: t, base: base}
}

type transport struct {
	t    testing.TB
	base http.RoundTripper
}

// RoundTrip reads the answer whole, checks it and hands it on unread.
func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := tr.base.RoundTrip(req)
	if err != nil {
		return res, err
	}
	if isStream(res) {
		// An event stream does not end by itself: its status and headers
		// are checked, the stream handed on unread.
		if err := check(req, res.StatusCode, res.Header, nil, true); err != nil {
			tr.t.Errorf("%v", err)
		}
		return res, nil
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("apicheck: reading the answer to %s %s: %w", req.Method, req.URL.Path, err)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err := Check(req, res.StatusCode, res.Header, body); err != nil {
		tr.t.Errorf("%v", err)
	}
	return res, nil
}
