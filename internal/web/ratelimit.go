package web

import (
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiterSet is one token bucket per key (a user, a tenant, an account, an
// address), on the server's injectable clock.
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

// wait returns how long until key has a token again, 0 when it has one now.
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

// take spends one token of key; it is the caller's job to have asked wait.
func (l *limiterSet) take(key string, now time.Time) {
	if l.rate == rate.Inf {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lockedGet(key, now).AllowN(now, 1)
}

// pair is a per-user and a per-tenant limit on one kind of request.
type pair struct{ user, tenant *limiterSet }

// allow spends one token of the user's and one of the tenant's bucket, or
// none and returns how long to wait when either is empty.
func (p pair) allow(userKey, tenantKey string, now time.Time) time.Duration {
	if w := max(p.user.wait(userKey, now), p.tenant.wait(tenantKey, now)); w > 0 {
		return w
	}
	p.user.take(userKey, now)
	p.tenant.take(tenantKey, now)
	return 0
}

// limits are the server's rate limits and sign-in throttles.
type limits struct {
	invite, resolve pair
	account, addr   *limiterSet
}

func newLimits(c *Config) *limits {
	return &limits{
		invite:  pair{newLimiterSet(c.InviteRate, c.InviteBurst), newLimiterSet(c.InviteTenantRate, c.InviteTenantBurst)},
		resolve: pair{newLimiterSet(c.ResolveRate, c.ResolveBurst), newLimiterSet(c.ResolveTenantRate, c.ResolveTenantBurst)},
		account: newLimiterSet(c.LoginAccountRate, c.LoginAccountBurst),
		addr:    newLimiterSet(c.LoginAddrRate, c.LoginAddrBurst),
	}
}

// loginBlocked returns how long sign-in stays refused for the account or
// the address after too many failures; 0 when it is not.
func (l *limits) loginBlocked(account, addr string, now time.Time) time.Duration {
	return max(l.account.wait(account, now), l.addr.wait(addr, now))
}

// loginFailed counts a failed sign-in against the account and the address.
func (l *limits) loginFailed(account, addr string, now time.Time) {
	l.account.take(account, now)
	l.addr.take(addr, now)
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
