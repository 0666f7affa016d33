package web_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/live"
	"convene/internal/poll"
	"convene/internal/sqlite"
	"convene/internal/web"
)

// TestEventsSlowReaderDoesNotHoldUpTheOthers: one subscriber reads nothing
// through a tiny receive window while messages are posted. Every other
// stream has each message before the next is posted, and the one that
// stopped reading is dropped once a write to it waited the server's write
// timeout: its subscription goes and its connection is closed.
func TestEventsSlowReaderDoesNotHoldUpTheOthers(t *testing.T) {
	db := sqlite.OpenTestDB(t)
	hub := live.New(db)
	hub.Hear(db)
	e := newEnvOn(t, db, unlimited, shortWrites, func(c *web.Config) { c.Live = hub })
	s := e.session()
	fast := []<-chan sseEvent{e.openStream(t, "collab", s.ID, ""), e.openStream(t, "viewer", s.ID, "")}
	slow := dialTinyWindow(t, e.srv.Listener.Addr().String())
	defer slow.Close()
	fmt.Fprintf(slow, "GET /api/v1/sessions/%s/events HTTP/1.1\r\nHost: convene.test\r\nAuthorization: Bearer %s\r\n\r\n", id(s.ID), e.tokens["owner"])
	poll.Until(t, 10*time.Second, "the slow reader's subscription", func() bool { return hub.Subscribers(s.ID) == 3 })

	body := strings.Repeat("x", convene.MaxMessageBody)
	for posted := 0; hub.Subscribers(s.ID) == 3; posted++ {
		if posted == 2000 { // 20 MB: far more than any socket's buffers hold
			t.Fatal("the reader that stopped was never dropped")
		}
		e.post(t, s.ID, body)
		for _, events := range fast {
			wantEvents(t, events, convene.EventMessageCreated)
		}
	}
	e.post(t, s.ID, "after the drop")
	for _, events := range fast {
		wantEvents(t, events, convene.EventMessageCreated+" after the drop")
	}
	_ = slow.SetReadDeadline(time.Now().Add(30 * time.Second)) // a bound on a failure, not a wait
	if n, err := io.Copy(io.Discard, slow); isTimeout(err) {
		t.Fatalf("the dropped stream's connection stayed open (%d bytes read)", n)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
