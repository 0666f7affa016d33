package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/live"
	"convene/internal/postgres"
	"convene/internal/web"
)

// eachLiveDatabase runs f on a server over SQLite (events told in
// process) and one over PostgreSQL whose hub hears them by LISTEN, as
// `convene serve` wires it.
func eachLiveDatabase(t *testing.T, f func(t *testing.T, e *env)) {
	t.Run("SQLite", func(t *testing.T) { f(t, newEnv(t, unlimited)) })
	t.Run("PostgreSQL", func(t *testing.T) {
		url := postgres.TestDatabaseURL(t)
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		hub := live.New(db)
		ctx, stop := context.WithCancel(context.Background())
		t.Cleanup(stop)
		ready := make(chan struct{})
		go postgres.ListenEvents(ctx, url, hub, ready)
		select {
		case <-ready:
		case <-time.After(10 * time.Second):
			t.Fatal("the listener did not LISTEN in time")
		}
		f(t, newEnvOn(t, db, unlimited, func(c *web.Config) { c.Live = hub }))
	})
}

// wantEvents fails t unless the next events of a stream are want, each
// "name" or "name data" with data a part of the event's; it returns them.
func wantEvents(t *testing.T, events <-chan sseEvent, want ...string) []sseEvent {
	t.Helper()
	var got []sseEvent
	for _, w := range want {
		ev, ok := nextEvent(t, events)
		if !ok {
			t.Fatalf("stream ended after %v, want %q", got, w)
		}
		got = append(got, ev)
		name, data, _ := strings.Cut(w, " ")
		if ev.name != name || !strings.Contains(ev.data, data) {
			t.Fatalf("events %v, want %q next", got, w)
		}
	}
	return got
}

// accessEventsUntil reads a stream up to the message with body marker and
// returns the data of the access events on the way.
func accessEventsUntil(t *testing.T, events <-chan sseEvent, marker string) []string {
	t.Helper()
	var own []string
	for {
		ev, ok := nextEvent(t, events)
		switch {
		case !ok:
			t.Fatalf("stream ended before the message %q", marker)
		case ev.name == convene.EventAccess:
			own = append(own, ev.data)
		case ev.name == convene.EventMessageCreated && strings.Contains(ev.data, `"body":"`+marker+`"`):
			return own
		}
	}
}

// wantEnd fails t unless the stream ends without another event.
func wantEnd(t *testing.T, events <-chan sseEvent) {
	t.Helper()
	if ev, ok := nextEvent(t, events); ok {
		t.Fatalf("got %+v, want the end of the stream", ev)
	}
}

// post writes a message as the owner: a marker in every stream, before
// which nobody outside a change sees an access event.
func (e *env) post(t *testing.T, sessionID int64, body string) {
	t.Helper()
	wantStatus(t, e.do("owner", http.MethodPost, "/api/v1/sessions/"+id(sessionID)+"/messages", map[string]string{"body": body}), http.StatusCreated, "post")
}

// TestEventsOfBulkAccessChange: the people a bulk change lowers or removes
// are told their access on their open streams (removal ends the stream),
// the others only that members changed; an undo tells again.
func TestEventsOfBulkAccessChange(t *testing.T) {
	eachLiveDatabase(t, func(t *testing.T, e *env) {
		s := e.session()
		collab, viewer, guest := e.openStream(t, "collab", s.ID, ""), e.openStream(t, "viewer", s.ID, ""), e.openStream(t, "guest", s.ID, "")
		r := e.do("admin", http.MethodPost, "/api/v1/access/bulk", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "collab@acme.test", "action": "view"})
		wantStatus(t, r, http.StatusOK, "lower collab")
		var b batchJSON
		r.decode(t, &b)
		got := wantEvents(t, collab, convene.EventMemberChanged+` {"batch_id":`+b.BatchID+`}`, convene.EventAccess+` {"access":"view"}`)
		if got[0].id != got[1].id {
			t.Errorf("the access event has id %s, want the batch event's %s", got[1].id, got[0].id)
		}
		e.post(t, s.ID, "after the change")
		wantEvents(t, guest, convene.EventMemberChanged, convene.EventMessageCreated) // not in the batch: no access event
		wantEvents(t, viewer, convene.EventMemberChanged, convene.EventMessageCreated)

		wantStatus(t, e.do("admin", http.MethodPost, "/api/v1/access/bulk", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "viewer@acme.test", "action": "remove"}),
			http.StatusOK, "remove viewer")
		wantEvents(t, viewer, convene.EventMemberChanged, convene.EventAccess+` {"access":"none"}`)
		wantEnd(t, viewer)

		wantStatus(t, e.do("admin", http.MethodPost, "/api/v1/invitations/batches/"+b.BatchID+"/undo", nil), http.StatusOK, "undo")
		e.post(t, s.ID, "after the undo")
		// The removal's batch event and the undo's: collab learns their
		// access at whichever the server reads after the undo committed,
		// once.
		if own := accessEventsUntil(t, collab, "after the undo"); len(own) != 1 || own[0] != `{"access":"collaborate"}` {
			t.Errorf("collab's access events after the undo: %v, want collaborate once", own)
		}
		if own := accessEventsUntil(t, guest, "after the undo"); len(own) != 0 {
			t.Errorf("guest, in neither batch, got access events %v", own)
		}
	})
}

// TestEventsOfMultiInvite: an upgrade by Add Users reaches the upgraded
// person's open page.
func TestEventsOfMultiInvite(t *testing.T) {
	eachLiveDatabase(t, func(t *testing.T, e *env) {
		s := e.session()
		viewer := e.openStream(t, "viewer", s.ID, "")
		wantStatus(t, e.do("admin", http.MethodPost, "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "viewer@acme.test", "access": "collaborate"}),
			http.StatusOK, "upgrade viewer")
		wantEvents(t, viewer, convene.EventMemberChanged+` {"batch_id":`, convene.EventAccess+` {"access":"collaborate"}`)
	})
}

// TestEventsDisablingEndsStreams: a disabled person's open streams, in
// every session, end with access none.
func TestEventsDisablingEndsStreams(t *testing.T) {
	eachLiveDatabase(t, func(t *testing.T, e *env) {
		s1, s2 := e.session(), e.session()
		streams := []<-chan sseEvent{e.openStream(t, "collab", s1.ID, ""), e.openStream(t, "collab", s2.ID, "")}
		other := e.openStream(t, "viewer", s1.ID, "")
		wantStatus(t, e.do("admin", http.MethodPatch, "/api/v1/users/"+id(e.users["collab"].ID), map[string]any{"disabled": true}), http.StatusOK, "disable")
		for _, events := range streams {
			wantEvents(t, events, convene.EventAccess+` {"access":"none"}`)
			wantEnd(t, events)
		}
		e.post(t, s1.ID, "still here")
		wantEvents(t, other, convene.EventMessageCreated)
	})
}

// TestEventsDisablingEndsAnAdminsWatch: a Tenant Admin may watch any
// session's stream without being a member of it; disabled, they are told
// access none there too, and that stream ends.
func TestEventsDisablingEndsAnAdminsWatch(t *testing.T) {
	eachLiveDatabase(t, func(t *testing.T, e *env) {
		admin2 := e.secondAdmin(t)
		s := e.session()
		watch := e.openStream(t, "admin2", s.ID, "")
		other := e.openStream(t, "owner", s.ID, "")
		wantStatus(t, e.do("admin", http.MethodPatch, "/api/v1/users/"+id(admin2.ID), map[string]any{"disabled": true}), http.StatusOK, "disable")
		wantEvents(t, watch, convene.EventAccess+` {"access":"none"}`)
		wantEnd(t, watch)
		e.post(t, s.ID, "still here")
		wantEvents(t, other, convene.EventMessageCreated)
	})
}

// TestEventsDemotionEndsAnAdminsWatch: a Tenant Admin made a member keeps
// the sessions they are a member of and loses those only their role
// showed them: a stream of the second kind is told access none and ends,
// one of the first goes on.
func TestEventsDemotionEndsAnAdminsWatch(t *testing.T) {
	eachLiveDatabase(t, func(t *testing.T, e *env) {
		admin2 := e.secondAdmin(t)
		watched, joined := e.session(), e.session()
		e.grant(joined.ID, convene.AccessView, admin2)
		watch := e.openStream(t, "admin2", watched.ID, "")
		member := e.openStream(t, "admin2", joined.ID, "")
		wantStatus(t, e.do("admin", http.MethodPatch, "/api/v1/users/"+id(admin2.ID), map[string]any{"role": "member"}), http.StatusOK, "demote")
		wantEvents(t, watch, convene.EventAccess+` {"access":"none"}`)
		wantEnd(t, watch)
		e.post(t, joined.ID, "still a member here")
		wantEvents(t, member, convene.EventMessageCreated)
	})
}

// secondAdmin adds a Tenant Admin, "admin2", who is a member of no
// session: one who watches sessions by role alone.
func (e *env) secondAdmin(t *testing.T) *convene.User {
	t.Helper()
	admin2 := e.fx.User(t, "Second admin", "admin2@acme.test", "", convene.RoleAdmin)
	e.users["admin2"], e.tokens["admin2"] = admin2, e.newToken(admin2)
	return admin2
}
