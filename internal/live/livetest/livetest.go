// Package livetest holds the checks of internal/live that both databases
// run: internal/live on SQLite in process, internal/postgres across two
// instances over LISTEN/NOTIFY.
package livetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"convene"
	"convene/internal/live"
)

// Wait bounds every wait for an event: generous, since the machine is
// shared; a passing test never waits for it.
const Wait = 10 * time.Second

// Place creates tenant slug with an owner and one session in store, and
// returns a context of the owner and the session's id.
func Place(t testing.TB, store convene.Store, slug string) (context.Context, int64) {
	t.Helper()
	owner := &convene.User{Name: "Owner", Email: "owner@" + slug + ".test", Role: convene.RoleAdmin}
	if err := store.CreateTenant(context.Background(), &convene.Tenant{Slug: slug, Name: slug, DefaultRegion: "US", InvitationTTL: convene.DefaultInvitationTTL}, owner); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}
	ctx := convene.NewContextWithUser(context.Background(), owner)
	s := &convene.Session{Title: "Place"}
	if err := store.CreateSession(ctx, s); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return ctx, s.ID
}

// Post writes n messages, "<prefix> 1" to "<prefix> n".
func Post(t testing.TB, store convene.Store, ctx context.Context, sessionID int64, prefix string, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		if err := store.PostMessage(ctx, &convene.Message{SessionID: sessionID, Body: fmt.Sprintf("%s %d", prefix, i)}); err != nil {
			t.Fatalf("PostMessage: %v", err)
		}
	}
}

// Collect takes n events from sub, failing t after Wait.
func Collect(t testing.TB, sub *live.Subscription, n int) []*convene.SessionEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	out := make([]*convene.SessionEvent, 0, n)
	for len(out) < n {
		e, err := sub.Next(ctx)
		if err != nil {
			t.Fatalf("after %d of %d events: %v", len(out), n, err)
		}
		out = append(out, e)
	}
	return out
}

// Consecutive fails t unless evs have the ids first, first+1, ... in order.
func Consecutive(t testing.TB, evs []*convene.SessionEvent, first int64) {
	t.Helper()
	for i, e := range evs {
		if e.ID != first+int64(i) {
			t.Fatalf("event %d has id %d, want %d (ids %v)", i, e.ID, first+int64(i), ids(evs))
		}
	}
}

func ids(evs []*convene.SessionEvent) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

// Run checks a hub that hears of the writes of writer through its own
// notification path (the same store, or another instance on the same
// database): live delivery, resume, and the replay/live boundary.
func Run(t *testing.T, writer convene.Store, hub *live.Hub, ctx context.Context, sessionID int64) {
	t.Run("LiveDelivery", func(t *testing.T) {
		sub, err := hub.Subscribe(ctx, sessionID, live.FromNow)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		start := sub.Cursor()
		Post(t, writer, ctx, sessionID, "live", 1)
		evs := Collect(t, sub, 1)
		if evs[0].Name != convene.EventMessageCreated || evs[0].ID != start+1 {
			t.Fatalf("got %s #%d, want %s #%d", evs[0].Name, evs[0].ID, convene.EventMessageCreated, start+1)
		}
	})
	t.Run("ResumeAndBoundary", func(t *testing.T) {
		head, err := writer.LastSessionEvent(ctx, sessionID)
		if err != nil {
			t.Fatal(err)
		}
		Post(t, writer, ctx, sessionID, "missed", 5)
		sub, err := hub.Subscribe(ctx, sessionID, head)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		done := make(chan struct{})
		go func() { defer close(done); Post(t, writer, ctx, sessionID, "while", 20) }()
		evs := Collect(t, sub, 25)
		<-done
		Consecutive(t, evs, head+1)
	})
}
