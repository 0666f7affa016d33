package sqlstore

import (
	"sync"
	"time"

	"convene"
)

// DefaultTokenCacheFor is how long a process trusts a bearer token's
// look-up before it asks the database again (docs/operations.md): a token
// revoked or a user disabled or changed on another instance is honoured
// here at most this late. Changes made through this store are honoured at
// once: they empty the cache.
const DefaultTokenCacheFor = 2 * time.Second

// maxCachedTokens bounds the cache; when full it starts over empty rather
// than tracking which entry to evict.
const maxCachedTokens = 10_000

// tokenCache keeps the answers of AuthenticateToken for a short while, so
// that a client sending many requests costs the database one look-up per
// validity, not one per request (issue 8: the look-up was a third of the
// reads of GET /api/v1/sessions).
//
// A look-up that raced with a change may not store its (old) answer: the
// generation taken before the read must still be current after it, and
// every change bumps it after its commit.
type tokenCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	now     cacheClock
	gen     uint64
	entries map[string]cachedToken
}

type cachedToken struct {
	user            convene.User
	tokenID, usedAt int64
	until           time.Time
}

// lookup returns the cached answer for hash, or the generation a look-up
// in the database must present to store its answer.
func (c *tokenCache) lookup(hash string) (cachedToken, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if ok && !c.now.read().Before(e.until) {
		delete(c.entries, hash)
		ok = false
	}
	return e, ok, c.gen
}

// store keeps an answer read from the database at generation gen, unless
// something changed since.
func (c *tokenCache) store(hash string, gen uint64, e cachedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ttl <= 0 || gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxCachedTokens {
		c.entries = map[string]cachedToken{}
	}
	e.until = c.now.read().Add(c.ttl)
	c.entries[hash] = e
}

// touched records that the token of hash was marked used at usedAt.
func (c *tokenCache) touched(hash string, usedAt int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok {
		e.usedAt = usedAt
		c.entries[hash] = e
	}
}

// forget empties the cache; called after a committed change to tokens or
// users, so that this process never answers from before it.
func (c *tokenCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// cacheClock is the clock that ages a cache's entries: the monotonic wall
// clock, not the store's (settable) domain clock; tests may set another.
type cacheClock func() time.Time

// read is the time now: time.Now unless a test set the clock.
func (now cacheClock) read() time.Time {
	if now == nil {
		return time.Now()
	}
	return now()
}

// SetTokenCache sets how long bearer token look-ups are kept (0: not at
// all) and, when now is not nil, the clock that ages them, for tests.
func (db *DB) SetTokenCache(ttl time.Duration, now func() time.Time) {
	db.tokens.mu.Lock()
	defer db.tokens.mu.Unlock()
	db.tokens.ttl, db.tokens.now = ttl, now
	db.tokens.gen++
	clear(db.tokens.entries)
}
