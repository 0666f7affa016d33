package main_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"syscall"
	"testing"
	"time"

	"convene/internal/poll"
)

// TestShutdownFinishesInFlightRequests sends SIGTERM while a request is in
// flight (its body only half sent) and checks that the request still
// completes and is stored, that the server refuses new connections, and that
// it exits with status 0.
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	db := newAcmeDB(t)
	srv := startServer(t, db)
	client := signIn(t, srv.url).client

	body, sendRest := io.Pipe()
	answered := make(chan *http.Response, 1)
	// The server answers "100 Continue" when the handler first reads the
	// body: the signal that the request is in the server's hands.
	reading := make(chan struct{})
	trace := &httptrace.ClientTrace{Got100Continue: func() { close(reading) }}
	go func() {
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "POST", srv.url+"/api/v1/sessions", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Expect", "100-continue")
		resp, err := client.Do(req)
		if err != nil {
			t.Errorf("the in-flight request failed: %v", err)
			close(answered)
			return
		}
		answered <- resp
	}()
	fmt.Fprint(sendRest, `{"title": "Started before `)
	select {
	case <-reading:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not begin reading the request body within 30s")
	}

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitRefused(t, srv.url)
	fmt.Fprint(sendRest, `the shutdown"}`)
	sendRest.Close()

	resp, ok := <-answered
	if !ok {
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("in-flight POST /api/v1/sessions answered %d during shutdown, want 201", resp.StatusCode)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("convene serve after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("convene serve did not stop within 40s of SIGTERM")
	}

	again := startServer(t, db)
	sessions := signIn(t, again.url)
	if got := items(sessions.must("GET", "/api/v1/sessions?q=shutdown", nil, 200)); len(got) != 1 {
		t.Errorf("after a restart, %d sessions titled ...shutdown, want the 1 created during shutdown", len(got))
	}
	again.stop()
}

// waitRefused waits until the server stops accepting new connections, which
// shows the shutdown has begun.
func waitRefused(t *testing.T, base string) {
	t.Helper()
	fresh := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	poll.Until(t, 10*time.Second, "the server to refuse new connections after SIGTERM", func() bool {
		resp, err := fresh.Get(base + "/healthz")
		if err != nil {
			return true
		}
		resp.Body.Close()
		return false
	})
}
