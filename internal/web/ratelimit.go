package web

import (
	"context"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"convene"
)

// buckets is one kind of rate limit: a token bucket per key (a user, a
// tenant, an account, an address). limiterSet keeps them in the process;
// sharedBuckets in the database, for every instance at once.
type buckets interface {
	// wait returns how long until key has a token again, 0 when it has one.
	wait(ctx context.Context, key string, now time.Time) time.Duration
	// take spends one token of key; it is the caller's job to have asked
	// wait.
	take(ctx context.Context, key string, now time.Time)
}

// limiterSet keeps its buckets in memory, on the server's injectable clock.
type limiterSet struct {
	mu    sync.Mutex
	rate  rate.Limit
	burst int
	m     map[string]*rate.Limiter
}

// maxKeys bounds a set's memory: past it, full buckets (keys that have been
// quiet long enough to have forgotten) are dropped.
const maxKeys = 10000

func newLimiterSet(r rate.Limit, burst int) *limiterSet {
	return &limiterSet{rate: r, burst: burst, m: map[string]*rate.Limiter{}}
}

// lockedGet returns key's bucket; l.mu must be held.
func (l *limiterSet) lockedGet(key string, now time.Time) *rate.Limiter {
	lim, ok := l.m[key]
	if !ok {
		if len(l.m) >= maxKeys {
			for k, v := range l.m {
				if v.TokensAt(now) >= float64(l.burst) {
					delete(l.m, k)
				}
			}
		}
		lim = rate.NewLimiter(l.rate, l.burst)
		l.m[key] = lim
	}
	return lim
}

func (l *limiterSet) wait(_ context.Context, key string, now time.Time) time.Duration {
	if l.rate == rate.Inf {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return waitOf(l.lockedGet(key, now), now)
}

func waitOf(lim *rate.Limiter, now time.Time) time.Duration {
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	if lim.Limit() <= 0 {
		return time.Hour
	}
	secs := (1 - tokens) / float64(lim.Limit())
	return time.Duration(math.Ceil(secs * float64(time.Second)))
}

func (l *limiterSet) take(_ context.Context, key string, now time.Time) {
	if l.rate == rate.Inf {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lockedGet(key, now).AllowN(now, 1)
}

// sharedBuckets keeps its buckets in the database (convene.RateBuckets),
// so that a limit holds across every instance sharing it. A database
// error lets the request through, logged: the database is then failing
// the request anyway, and a limiter should not turn that into a 429.
type sharedBuckets struct {
	store    convene.RateBuckets
	kind     string // prefixes the keys: "login.account:acme/ada@acme.test"
	interval time.Duration
	burst    int
	sweep    *sweeper
	log      *slog.Logger
}

func (b *sharedBuckets) wait(ctx context.Context, key string, now time.Time) time.Duration {
	w, err := b.store.RateWait(ctx, b.kind+":"+key, now, b.interval, b.burst)
	if err != nil {
		b.log.WarnContext(ctx, "rate limit unavailable, request let through", "limit", b.kind, "err", err)
		return 0
	}
	return w
}

func (b *sharedBuckets) take(ctx context.Context, key string, now time.Time) {
	// A client hanging up does not cancel the count of what it did.
	ctx = context.WithoutCancel(ctx)
	b.sweep.maybe(ctx, now)
	if _, err := b.store.RateTake(ctx, b.kind+":"+key, now, b.interval, b.burst); err != nil {
		b.log.WarnContext(ctx, "rate limit unavailable, token not taken", "limit", b.kind, "err", err)
	}
}

// sweeper forgets full buckets in the database at most once a minute per
// process, so that the table holds only keys active of late.
type sweeper struct {
	store convene.RateBuckets
	last  atomic.Int64 // unix nanoseconds of the last sweep
	log   *slog.Logger
}

func (s *sweeper) maybe(ctx context.Context, now time.Time) {
	last := s.last.Load()
	if now.UnixNano()-last < int64(time.Minute) || !s.last.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if err := s.store.RateSweep(ctx, now); err != nil {
		s.log.WarnContext(ctx, "sweeping rate buckets", "err", err)
	}
}

// pair is two limits on one kind of request, each with its own key: per
// user and per tenant, or per account and per client address.
type pair struct{ first, second buckets }

// wait returns how long until both keys have a token again.
func (p pair) wait(ctx context.Context, key1, key2 string, now time.Time) time.Duration {
	return max(p.first.wait(ctx, key1, now), p.second.wait(ctx, key2, now))
}

// take spends one token of each key.
func (p pair) take(ctx context.Context, key1, key2 string, now time.Time) {
	p.first.take(ctx, key1, now)
	p.second.take(ctx, key2, now)
}

// allow spends one token of each key, or none and returns how long to wait
// when either is empty. (Between the wait and the take another request
// may take the last token: a limit can let a few concurrent requests past
// at its edge, never a steady stream.)
func (p pair) allow(ctx context.Context, key1, key2 string, now time.Time) time.Duration {
	if w := p.wait(ctx, key1, key2, now); w > 0 {
		return w
	}
	p.take(ctx, key1, key2, now)
	return 0
}

// limits are the server's rate limits and throttles. invite and resolve
// are keyed by user and tenant. login counts failed sign-ins and reset
// every password-reset request, by account (tenant + login) and client
// address, with the sign-in settings; accept counts failed invitation
// acceptances by client address.
type limits struct {
	invite, resolve pair
	login, reset    pair
	accept          buckets
}

// newLimits builds the limits of c: in the database when c.SharedRateLimits
// is set, in memory otherwise.
func newLimits(c *Config) *limits {
	var sweep *sweeper
	if c.SharedRateLimits != nil {
		sweep = &sweeper{store: c.SharedRateLimits, log: c.Logger}
	}
	set := func(kind string, r rate.Limit, burst int) buckets {
		if sweep == nil || r == rate.Inf || r <= 0 {
			return newLimiterSet(r, burst)
		}
		interval := time.Duration(float64(time.Second) / float64(r))
		return &sharedBuckets{store: c.SharedRateLimits, kind: kind, interval: interval, burst: burst, sweep: sweep, log: c.Logger}
	}
	return &limits{
		invite:  pair{set("invite.user", c.InviteRate, c.InviteBurst), set("invite.tenant", c.InviteTenantRate, c.InviteTenantBurst)},
		resolve: pair{set("resolve.user", c.ResolveRate, c.ResolveBurst), set("resolve.tenant", c.ResolveTenantRate, c.ResolveTenantBurst)},
		login:   pair{set("login.account", c.LoginAccountRate, c.LoginAccountBurst), set("login.addr", c.LoginAddrRate, c.LoginAddrBurst)},
		reset:   pair{set("reset.account", c.LoginAccountRate, c.LoginAccountBurst), set("reset.addr", c.LoginAddrRate, c.LoginAddrBurst)},
		accept:  set("accept.addr", c.LoginAddrRate, c.LoginAddrBurst),
	}
}

// clientAddr is the address a request came from: the peer, since headers
// like X-Forwarded-For can be forged by anyone when no proxy strips them.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		// One IPv6 user holds a whole /64.
		return ip.Mask(net.CIDRMask(64, 128)).String()
	}
	return host
}
