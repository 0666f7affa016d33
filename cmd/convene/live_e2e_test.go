package main_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLiveEventsAcrossTwoServers: two "convene serve" on one PostgreSQL; a
// note written through one reaches a subscriber of the other's event
// stream within 1 s (contract section 13), through LISTEN/NOTIFY.
func TestLiveEventsAcrossTwoServers(t *testing.T) {
	db := withAcme(t, postgresDB(t))
	a, b := startServer(t, db), startServer(t, db, "--shutdown-timeout", "1m")
	ca := signIn(t, a.url)
	s := id(ca.must("POST", "/api/v1/sessions", obj{"title": "Across"}, 201)["id"])
	token, _ := ca.must("POST", "/api/v1/tokens", obj{"name": "sse"}, 201)["token"].(string)

	names := followEvents(t, b.url+"/api/v1/sessions/"+s+"/events", token)
	ca.must("POST", "/api/v1/sessions/"+s+"/notes", obj{"title": "From A"}, 201)
	written := time.Now()
	deadline := time.After(time.Second)
	for {
		select {
		case name, ok := <-names:
			if !ok {
				t.Fatal("the stream on B ended")
			}
			if name == "note.created" {
				t.Logf("on B %s after the write on A", time.Since(written))
				stopEndsStream(t, b, names)
				return
			}
		case <-deadline:
			t.Fatal("note.created did not reach the subscriber on B within 1 s")
		}
	}
}

// followEvents opens an event stream with a bearer token and sends the
// name of every event it reads; it returns once the stream is open (the
// subscription is in place).
func followEvents(t *testing.T, url, token string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("open the stream: %v %v", err, res)
	}
	names := make(chan string, 16)
	go func() {
		defer close(names)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				names <- name
			}
		}
	}()
	return names
}

// stopEndsStream: a graceful stop ends open event streams at once rather
// than waiting out --shutdown-timeout for them, and exits with status 0.
func stopEndsStream(t *testing.T, s *server, names <-chan string) {
	t.Helper()
	s.stop()
	for range names { // drains what is left; ends when the stream closes
	}
}
