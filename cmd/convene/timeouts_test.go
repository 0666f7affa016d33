package main

import (
	"io"
	"log/slog"
	"testing"

	"convene/internal/sqlite"
	"convene/internal/web"
)

// TestServerHasNoRequestDeadline: the http.Server of `convene serve`
// bounds the arrival of headers, and sets no deadline that would cancel a
// request still being worked on (see newHTTPServer and docs/operations.md).
func TestServerHasNoRequestDeadline(t *testing.T) {
	srv := newHTTPServer(&config{DB: "sqlite:x.db", RateLimitStore: "auto"}, sqlite.OpenTestDB(t), nil, "http://127.0.0.1:1", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if srv.ReadTimeout != 0 || srv.WriteTimeout != 0 {
		t.Errorf("ReadTimeout %s, WriteTimeout %s: either cancels or discards long work, want both unset", srv.ReadTimeout, srv.WriteTimeout)
	}
	if srv.ReadHeaderTimeout != web.DefaultBodyTimeout {
		t.Errorf("ReadHeaderTimeout %s, want %s", srv.ReadHeaderTimeout, web.DefaultBodyTimeout)
	}
}
