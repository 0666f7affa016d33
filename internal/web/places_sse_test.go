package web_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/api/apicheck"
	"convene/internal/storetest"
)

// sseEvent is one event of a stream as a client reads it.
type sseEvent struct{ id, name, data string }

// openStream follows a session's events as persona, from lastID ("": from
// now on); the events arrive on the channel, which closes when the stream
// ends.
func (e *env) openStream(t *testing.T, persona string, sessionID int64, lastID string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req := e.request(http.MethodGet, "/api/v1/sessions/"+id(sessionID)+"/events", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+e.tokens[persona])
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := apicheck.Client(t, e.srv.Client()).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 100)
	go func() {
		defer close(out)
		defer res.Body.Close()
		readEvents(bufio.NewScanner(res.Body), out)
	}()
	return out
}

// readEvents parses text/event-stream from sc into out.
func readEvents(sc *bufio.Scanner, out chan<- sseEvent) {
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" {
				out <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			ev.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data += line[6:]
		}
	}
}

// nextEvent waits for the stream's next event, failing t after a bound.
func nextEvent(t *testing.T, events <-chan sseEvent) (sseEvent, bool) {
	t.Helper()
	select {
	case ev, ok := <-events:
		return ev, ok
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return sseEvent{}, false
}

func TestEventsNoteCreatedReachesAnotherPerson(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	events := e.openStream(t, "viewer", s.ID, "")
	r := e.do("collab", http.MethodPost, "/api/v1/sessions/"+id(s.ID)+"/notes", map[string]string{"title": "Live", "body": "hello"})
	wantStatus(t, r, http.StatusCreated, "create note")
	ev, _ := nextEvent(t, events)
	if ev.name != convene.EventNoteCreated || !strings.Contains(ev.data, `"title":"Live"`) || ev.id == "" {
		t.Errorf("got %+v, want note.created with the note", ev)
	}
}

func TestEventsResumeWithLastEventID(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	events := e.openStream(t, "viewer", s.ID, "")
	post := func(body string) {
		wantStatus(t, e.do("owner", http.MethodPost, "/api/v1/sessions/"+id(s.ID)+"/messages", map[string]string{"body": body}), http.StatusCreated, "post")
	}
	post("one")
	first, _ := nextEvent(t, events)
	post("two")
	post("three")
	resumed := e.openStream(t, "viewer", s.ID, first.id)
	for _, want := range []string{"two", "three"} {
		ev, _ := nextEvent(t, resumed)
		if ev.name != convene.EventMessageCreated || !strings.Contains(ev.data, `"body":"`+want+`"`) {
			t.Errorf("resumed: got %+v, want the message %q", ev, want)
		}
	}
	post("four")
	if ev, _ := nextEvent(t, resumed); !strings.Contains(ev.data, `"body":"four"`) {
		t.Errorf("after the missed events: got %+v, want the message four (and nothing twice)", ev)
	}
}

func TestEventsRemovalEndsTheStreamWithAccessNone(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	events := e.openStream(t, "viewer", s.ID, "")
	if err := e.fx.Store.RemoveMember(storetest.As(e.users["owner"]), s.ID, e.users["viewer"].ID); err != nil {
		t.Fatal(err)
	}
	var last sseEvent
	for {
		ev, ok := nextEvent(t, events)
		if !ok {
			break
		}
		last = ev
	}
	if last.name != convene.EventAccess || !strings.Contains(last.data, `"access":"none"`) {
		t.Errorf("last event %+v, want access none before the end", last)
	}
}

func TestEventsViewOnlySwitchReachesTheCollaborator(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	events := e.openStream(t, "collab", s.ID, "")
	path := "/api/v1/sessions/" + id(s.ID) + "/members/" + id(e.users["collab"].ID)
	wantStatus(t, e.do("owner", http.MethodPut, path, map[string]string{"access": "view"}), http.StatusOK, "switch to view")
	for {
		ev, ok := nextEvent(t, events)
		if !ok {
			t.Fatal("stream ended without the access event")
		}
		if ev.name == convene.EventAccess {
			if !strings.Contains(ev.data, `"view"`) {
				t.Errorf("access event %+v, want view", ev)
			}
			break
		}
	}
	wantStatus(t, e.do("collab", http.MethodPost, "/api/v1/sessions/"+id(s.ID)+"/notes", map[string]string{"title": "x"}), http.StatusForbidden, "write after the switch")
}
