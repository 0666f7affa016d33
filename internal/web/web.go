// Package web assembles Convene's HTTP server: the plumbing of
// internal/httpd with both surfaces mounted on it, the JSON API
// (internal/api) and the dashboard (internal/ui). Its tests drive the
// assembled server end to end through httptest.
package web

import (
	"convene"
	"convene/internal/api"
	"convene/internal/httpd"
	"convene/internal/ui"
)

// Config holds the settings of the web server (see httpd.Config).
type Config = httpd.Config

// CookieName is the name of the login session cookie.
const CookieName = httpd.CookieName

// DefaultBodyTimeout is how long a request body may take to arrive unless
// Config.BodyTimeout says otherwise.
const DefaultBodyTimeout = httpd.DefaultBodyTimeout

// DefaultWriteTimeout is how long each write of an answer may wait for
// the client unless Config.WriteTimeout says otherwise.
const DefaultWriteTimeout = httpd.DefaultWriteTimeout

// New returns the server for store with cfg: the plumbing, with the API and
// the dashboard mounted.
func New(store convene.Store, cfg Config) *httpd.Server {
	srv := httpd.New(store, cfg)
	api.Mount(srv)
	ui.Mount(srv)
	return srv
}
