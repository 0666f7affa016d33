package httpd

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

// limit limits one kind of request with one or more token buckets, each
// keyed by its own part of the request (user and tenant; account and
// client address; client address). memoryLimit keeps the buckets in the
// process; sharedLimit in the database, for every instance at once.
//
// A limit fails closed: when its buckets cannot be counted, each method
// answers an error (the 503 of limitUnavailable) and never lets the request
// through uncounted.
type limit interface {
	// wait returns how long until every bucket of keys has a token again,
	// 0 when they all have one.
	wait(ctx context.Context, now time.Time, keys ...string) (time.Duration, error)
	// take counts one request against each bucket of keys; it is the
	// caller's job to have asked wait.
	take(ctx context.Context, now time.Time, keys ...string) error
	// allow spends one token of each bucket of keys, or none and returns
	// how long to wait when one is empty.
	allow(ctx context.Context, now time.Time, keys ...string) (time.Duration, error)
}

// bucketKind is the shape of one of a limit's buckets. kind names it (and
// prefixes its keys in the database: "login.account:acme/ada@acme.test").
type bucketKind struct {
	kind  string
	rate  rate.Limit
	burst int
}

// limiterSet is one kind of bucket kept in memory, one per key, on the
// server's injectable clock.
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

// wait returns how long until key has a token again, 0 when it has one.
func (l *limiterSet) wait(key string, now time.Time) time.Duration {
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

// take spends one token of key.
func (l *limiterSet) take(key string, now time.Time) {
	if l.rate == rate.Inf {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lockedGet(key, now).AllowN(now, 1)
}

// memoryLimit keeps a limit's buckets in this process: one set per kind.
type memoryLimit []*limiterSet

func (m memoryLimit) wait(_ context.Context, now time.Time, keys ...string) (time.Duration, error) {
	var w time.Duration
	for i, set := range m {
		w = max(w, set.wait(keys[i], now))
	}
	return w, nil
}

func (m memoryLimit) take(_ context.Context, now time.Time, keys ...string) error {
	for i, set := range m {
		set.take(keys[i], now)
	}
	return nil
}

// allow asks, then takes. (Between the two another request may take the
// last token: a limit can let a few concurrent requests past at its edge,
// never a steady stream.)
func (m memoryLimit) allow(ctx context.Context, now time.Time, keys ...string) (time.Duration, error) {
	if w, _ := m.wait(ctx, now, keys...); w > 0 {
		return w, nil
	}
	return 0, m.take(ctx, now, keys...)
}

// sharedLimit keeps a limit's buckets in the database
// (convene.RateBuckets), so that it holds across every instance sharing
// it; a take of all its buckets is one atomic transaction there. When the
// database cannot answer, the request is refused (503, Retry-After) and
// the outage logged, at most once a minute: a limiter that let requests
// through when it cannot count would be one an attacker can switch off.
type sharedLimit struct {
	store  convene.RateBuckets
	kinds  []bucketKind // rate.Inf kinds are left out of every call
	sweep  *sweeper
	outage *outageLog
}

// buckets names the database buckets of keys.
func (l *sharedLimit) buckets(keys []string) []convene.Bucket {
	out := make([]convene.Bucket, 0, len(l.kinds))
	for i, k := range l.kinds {
		if k.rate == rate.Inf {
			continue
		}
		interval := time.Duration(float64(time.Second) / float64(k.rate))
		out = append(out, convene.Bucket{Key: k.kind + ":" + keys[i], Interval: interval, Burst: k.burst})
	}
	return out
}

// failed records a store error and returns the refusal to answer.
func (l *sharedLimit) failed(ctx context.Context, now time.Time, err error) error {
	l.outage.refused(ctx, now, l.kinds[0].kind, err)
	return limitUnavailable()
}

func (l *sharedLimit) wait(ctx context.Context, now time.Time, keys ...string) (time.Duration, error) {
	w, err := l.store.RateWait(ctx, now, l.buckets(keys)...)
	if err != nil {
		return 0, l.failed(ctx, now, err)
	}
	return w, nil
}

// takeAll takes a token of every bucket of keys, or none, and reports
// whether it did.
func (l *sharedLimit) takeAll(ctx context.Context, now time.Time, keys []string) (bool, error) {
	// A client hanging up does not cancel the count of what it did.
	ctx = context.WithoutCancel(ctx)
	l.sweep.maybe(ctx, now)
	taken, err := l.store.RateTake(ctx, now, l.buckets(keys)...)
	if err != nil {
		return false, l.failed(ctx, now, err)
	}
	return taken, nil
}

func (l *sharedLimit) take(ctx context.Context, now time.Time, keys ...string) error {
	_, err := l.takeAll(ctx, now, keys)
	return err
}

// allow takes first and asks only when that failed: one transaction for a
// request within its limits.
func (l *sharedLimit) allow(ctx context.Context, now time.Time, keys ...string) (time.Duration, error) {
	if taken, err := l.takeAll(ctx, now, keys); taken || err != nil {
		return 0, err
	}
	w, err := l.wait(ctx, now, keys...)
	// A token may have come back since; still refuse, at least a moment.
	return max(w, time.Nanosecond), err
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

// limits are the server's rate limits and throttles. invite and resolve
// are keyed by user and tenant. login counts failed sign-ins and reset
// every password-reset request, by account (tenant + login) and client
// address, with the sign-in settings; accept counts failed invitation
// acceptances by client address.
type limits struct {
	invite, resolve limit
	login, reset    limit
	accept          limit
}

// newLimits builds the limits of c: in the database when c.SharedRateLimits
// is set, in memory otherwise.
func newLimits(c *Config) *limits {
	var sweep *sweeper
	outage := &outageLog{log: c.Logger}
	if c.SharedRateLimits != nil {
		sweep = &sweeper{store: c.SharedRateLimits, log: c.Logger}
	}
	newLimit := func(kinds ...bucketKind) limit {
		if sweep != nil {
			return &sharedLimit{store: c.SharedRateLimits, kinds: kinds, sweep: sweep, outage: outage}
		}
		sets := make(memoryLimit, len(kinds))
		for i, k := range kinds {
			sets[i] = newLimiterSet(k.rate, k.burst)
		}
		return sets
	}
	return &limits{
		invite:  newLimit(bucketKind{"invite.user", c.InviteRate, c.InviteBurst}, bucketKind{"invite.tenant", c.InviteTenantRate, c.InviteTenantBurst}),
		resolve: newLimit(bucketKind{"resolve.user", c.ResolveRate, c.ResolveBurst}, bucketKind{"resolve.tenant", c.ResolveTenantRate, c.ResolveTenantBurst}),
		login:   newLimit(bucketKind{"login.account", c.LoginAccountRate, c.LoginAccountBurst}, bucketKind{"login.addr", c.LoginAddrRate, c.LoginAddrBurst}),
		reset:   newLimit(bucketKind{"reset.account", c.LoginAccountRate, c.LoginAccountBurst}, bucketKind{"reset.addr", c.LoginAddrRate, c.LoginAddrBurst}),
		accept:  newLimit(bucketKind{"accept.addr", c.LoginAddrRate, c.LoginAddrBurst}),
	}
}

// allowActor spends one token of lim for the actor and one for its tenant,
// or returns the 429 (or 503) to answer (what names the requests in its
// detail).
func (s *Server) allowActor(ctx context.Context, lim limit, a convene.Actor, what string) error {
	retry, err := lim.allow(ctx, s.Now(), FormatID(a.User.ID), FormatID(a.TenantID))
	return refusal(retry, err, what)
}

// AllowInvite spends one invitation token (multi-invites, session
// invitations, undos) of the actor and of its tenant: nil, or the 429 (or
// 503) to answer, what naming the requests.
func (s *Server) AllowInvite(ctx context.Context, a convene.Actor, what string) error {
	return s.allowActor(ctx, s.limits.invite, a, what)
}

// AllowResolve spends one contact look-up token of the actor and of its
// tenant: nil, or the 429 (or 503) to answer.
func (s *Server) AllowResolve(ctx context.Context, a convene.Actor, what string) error {
	return s.allowActor(ctx, s.limits.resolve, a, what)
}

// checkLimit asks lim whether keys have a token left: nil, or the 429 (or
// 503) to answer.
func (s *Server) checkLimit(ctx context.Context, lim limit, what string, keys ...string) error {
	retry, err := lim.wait(ctx, s.Now(), keys...)
	return refusal(retry, err, what)
}

// refusal is the answer to a limit's retry and err: err itself, a 429
// when retry is due, or nil.
func refusal(retry time.Duration, err error, what string) error {
	if err != nil {
		return err
	}
	if retry > 0 {
		return rateLimited(retry, what)
	}
	return nil
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
