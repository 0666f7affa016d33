package postgres

import (
	"context"
	"testing"
	"time"

	"convene/internal/live"
	"convene/internal/live/livetest"
)

// TestLiveAcrossInstances runs the live checks with two stores (two pools,
// as two `convene serve` would have) on one database: events written
// through one reach a hub fed by the other's LISTEN connection.
func TestLiveAcrossInstances(t *testing.T) {
	url := TestDatabaseURL(t)
	ctx := context.Background()
	writer, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	reader, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	hub := live.New(reader)
	listenCtx, stop := context.WithCancel(ctx)
	defer stop()
	ready := make(chan struct{})
	go ListenEvents(listenCtx, url, hub, ready)
	select {
	case <-ready:
	case <-time.After(livetest.Wait):
		t.Fatal("the listener did not LISTEN in time")
	}
	owner, sid := livetest.Place(t, writer, "acme")
	livetest.Run(t, writer, hub, owner, sid)
}
