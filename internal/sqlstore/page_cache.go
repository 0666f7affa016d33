package sqlstore

import (
	"context"
	"sync"
	"time"

	"convene"
)

// DefaultPageCacheFor is the longest a process serves a sessions page it
// read before it asks the database again, whatever it heard of changes: a
// safety net for writes nobody tells of (a CLI command next to an SQLite
// server, another instance's migration, a notification lost while the
// listener's connection was failing unnoticed). Changes made through this
// store, and on PostgreSQL those of every instance, end a page at once.
const DefaultPageCacheFor = time.Second

// maxCachedPages bounds the cache; when full it starts over empty, as the
// token cache does.
const maxCachedPages = 2_000

// pageCache keeps the answers of FindSessionsPage, so that the sessions
// list, the API's most asked page, usually costs no round trip to the
// database (issue 8: on PostgreSQL the one statement of a page, planned
// at each bind, capped the API at a tenth of a bare handler's rate).
//
// A page is valid by version, not by guess: every committed write bumps
// the version of its tenant (the global one when it has none), and an
// entry serves only while both versions it was read under are current.
// A reader takes the versions BEFORE its query and stores its answer under
// them, so a read that raced a commit is stored already stale, never as
// fresh.
//
// Where other processes write too (PostgreSQL), their commits arrive as
// notifications; until a listener says it hears them (PagesFed), or after it
// lost them, the cache is bypassed and emptied.
type pageCache struct {
	mu        sync.Mutex
	ttl       time.Duration
	now       cacheClock
	global    uint64
	tenants   map[int64]uint64
	needsFeed bool // other processes write: serve only while fed
	fed       bool
	entries   map[pageKey]cachedPage
}

// pageKey is everything a page depends on besides the data: the tenant,
// who asks (their role and state decide what they may see) and the whole
// filter.
type pageKey struct {
	tenantID, userID int64
	role             convene.Role
	disabled         bool
	filter           convene.SessionFilter
}

func pageKeyOf(actor convene.Actor, f convene.SessionFilter) pageKey {
	k := pageKey{tenantID: actor.TenantID, userID: actor.UserID(), filter: f}
	if actor.User != nil {
		k.role, k.disabled = actor.User.Role, actor.User.Disabled
	}
	return k
}

// pageVersion is what a page was read under; ok is false when the cache
// is bypassed (nothing may be stored).
type pageVersion struct {
	global, tenant uint64
	ok             bool
}

type cachedPage struct {
	page    *convene.SessionPage // a private copy: never handed out
	version pageVersion
	until   time.Time
}

// lookup returns a copy of the cached page of k, or the version under
// which a page read now may be stored.
func (c *pageCache) lookup(k pageKey) (*convene.SessionPage, pageVersion) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.versionOf(k.tenantID)
	e, ok := c.entries[k]
	if !ok {
		return nil, v
	}
	if e.version != v || !c.now.read().Before(e.until) {
		delete(c.entries, k)
		return nil, v
	}
	return copyPage(e.page), v
}

func (c *pageCache) versionOf(tenantID int64) pageVersion {
	return pageVersion{global: c.global, tenant: c.tenants[tenantID], ok: c.ttl > 0 && (c.fed || !c.needsFeed)}
}

// store keeps a copy of p, read under v, unless something changed since.
func (c *pageCache) store(k pageKey, v pageVersion, p *convene.SessionPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !v.ok || v != c.versionOf(k.tenantID) {
		return
	}
	if c.entries == nil || len(c.entries) >= maxCachedPages {
		c.entries = map[pageKey]cachedPage{}
	}
	c.entries[k] = cachedPage{page: copyPage(p), version: v, until: c.now.read().Add(c.ttl)}
}

// changed records a committed write in tenantID (0: without a tenant, or
// of several): the tenant's pages, or all, are read again. Bumping the
// version is enough: an entry of an older one is dropped when looked up,
// and the bound holds whatever stale entries remain, so a write (this
// runs after every one) costs no walk of the cache.
func (c *pageCache) changed(tenantID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tenantID == 0 {
		c.forgetAll()
		return
	}
	if c.tenants == nil {
		c.tenants = map[int64]uint64{}
	}
	c.tenants[tenantID]++
}

// forgetAll invalidates every page, stored or being read; c.mu is held.
func (c *pageCache) forgetAll() {
	c.global++
	clear(c.entries)
}

// feeding records whether the changes of other processes reach c; either
// way what c holds, or is being read, may have missed some and is
// forgotten.
func (c *pageCache) feeding(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fed = on
	c.forgetAll()
}

// copyPage copies p down to its sessions and owners, so that no caller
// can change what the cache holds, nor see another caller's changes.
func copyPage(p *convene.SessionPage) *convene.SessionPage {
	out := *p
	out.Sessions = make([]*convene.Session, len(p.Sessions))
	for i, s := range p.Sessions {
		c := *s
		if s.Owner != nil {
			owner := *s.Owner
			c.Owner = &owner
		}
		out.Sessions[i] = &c
	}
	return &out
}

// SetPageCache sets how long sessions pages are kept (0: not at all) and,
// when now is not nil, the clock that ages them, for tests.
func (db *DB) SetPageCache(ttl time.Duration, now func() time.Time) {
	db.pages.mu.Lock()
	defer db.pages.mu.Unlock()
	db.pages.ttl, db.pages.now = ttl, now
	db.pages.forgetAll()
}

// PagesChanged tells the store that another process committed a write in
// tenantID (0: without a tenant): its cached pages are read again. The
// PostgreSQL store's listener calls it for every page notification.
func (db *DB) PagesChanged(tenantID int64) { db.pages.changed(tenantID) }

// PagesFed tells the store whether the changes of other processes reach it
// (PagesChanged): the PostgreSQL store's listener says true once it
// LISTENs and false when it lost its connection. Until it is true, a store
// whose dialect is a CommitNotifier caches no page.
func (db *DB) PagesFed(on bool) { db.pages.feeding(on) }

// newPageCache makes the cache of a store on d. Where the database is
// shared by several processes (d is a CommitNotifier), each write
// transaction tells the others, in the transaction, so that they hear of
// it at its commit and only then (CommitNotice.PagesChanged).
func newPageCache(d Dialect) pageCache {
	_, shared := d.(CommitNotifier)
	return pageCache{ttl: DefaultPageCacheFor, needsFeed: shared}
}

// changedTenant is the tenant whose data a write transaction run for ctx
// may change: the actor's; 0 (every tenant) for a write without one. Every
// store query filters on the actor's tenant, so a write cannot reach
// another tenant's pages.
func changedTenant(ctx context.Context) int64 {
	if actor, ok := convene.ActorFromContext(ctx); ok {
		return actor.TenantID
	}
	return 0
}

// PageCached reports whether FindSessionsPage would answer f for the
// actor of ctx from the cache, without asking the database: for tests.
func (db *DB) PageCached(ctx context.Context, f convene.SessionFilter) bool {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return false
	}
	p, _ := db.pages.lookup(pageKeyOf(actor, f))
	return p != nil
}
