package sqlstore

import (
	"testing"

	"convene"
)

// TestPageCacheIsBounded: however many different pages are read, the cache
// holds at most maxCachedPages.
func TestPageCacheIsBounded(t *testing.T) {
	c := pageCache{ttl: DefaultPageCacheFor}
	page := &convene.SessionPage{Sessions: []*convene.Session{{ID: 1, Owner: &convene.User{ID: 1}}}}
	for i := range 3 * maxCachedPages {
		k := pageKey{tenantID: 1, userID: int64(i)}
		_, v := c.lookup(k)
		c.store(k, v, page)
		if len(c.entries) > maxCachedPages {
			t.Fatalf("after %d pages the cache holds %d, want at most %d", i+1, len(c.entries), maxCachedPages)
		}
	}
	if len(c.entries) == 0 {
		t.Error("the cache kept no page")
	}
}
