package postgres

import (
	"context"
	"testing"
	"time"

	"convene/internal/live"
	"convene/internal/live/livetest"
)

// testDatabaseURL creates a fresh migrated database as OpenTestDB does and
// returns its URL, for tests that need more than one store on it.
func testDatabaseURL(t testing.TB) string {
	t.Helper()
	base := testBaseURL(t)
	srv := serverFor(base)
	srv.once.Do(func() { srv.admin, srv.template, srv.err = prepareTemplate(base) })
	if srv.err != nil {
		t.Fatal(srv.err)
	}
	name := "convene_t_" + randomHex(8)
	if err := createFromTemplate(context.Background(), srv.admin, name, srv.template); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	return withDatabase(base, name)
}

// TestLiveAcrossInstances runs the live checks with two stores (two pools,
// as two `convene serve` would have) on one database: events written
// through one reach a hub fed by the other's LISTEN connection.
func TestLiveAcrossInstances(t *testing.T) {
	url := testDatabaseURL(t)
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
	go ListenEvents(listenCtx, url, hub.Notify, hub.WakeAll, ready)
	select {
	case <-ready:
	case <-time.After(livetest.Wait):
		t.Fatal("the listener did not LISTEN in time")
	}
	owner, sid := livetest.Place(t, writer, "acme")
	livetest.Run(t, writer, hub, owner, sid)
}
