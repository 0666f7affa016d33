package postgres

import (
	"context"
	"strconv"

	"convene/internal/sqlstore"
)

// PageChannel is the NOTIFY channel of committed writes, for the sessions
// pages every instance caches (internal/sqlstore/page_cache.go). A payload
// is the id of the tenant written in, "0" for a write of no one tenant
// (NotifyCommit sends it). The instance that wrote hears it too, having
// bumped its own version already: a second bump only costs a read.
const PageChannel = "convene_pages"

// followPages makes db hear of the writes of every instance on the
// database at url, over a LISTEN connection of its own, until db closes.
// The store owns it, not cmd/convene's live events, because the cache's
// validity depends on it whoever opens the store (serve, a CLI command, a
// test); it is the same listening code (listen), on another channel.
//
// The cache is bypassed until the LISTEN is in place and again from the
// moment the connection is seen lost: another instance's write is then
// missed only between the connection's failure and its detection, which
// the cache's validity (DefaultPageCacheFor) bounds.
func followPages(db *sqlstore.DB, url string) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		listen(ctx, url, listener{
			channel: PageChannel,
			notify: func(payload string) {
				tenantID, err := strconv.ParseInt(payload, 10, 64)
				if err != nil {
					tenantID = 0 // not ours to read: forget every page
				}
				db.PagesChanged(tenantID)
			},
			listening: func(bool) { db.PagesFed(true) },
			lost:      func() { db.PagesFed(false) },
		})
	}()
	db.AtClose(func() {
		cancel()
		<-done
	})
}
