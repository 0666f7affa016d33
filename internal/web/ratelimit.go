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

// pair is two limits on one kind of request, each with its own key: per
// user and per tenant, or per account and per client address.
type pair struct{ first, second *limiterSet }

func newPair(r1 rate.Limit, b1 int, r2 rate.Limit, b2 int) pair {
	return pair{newLimiterSet(r1, b1), newLimiterSet(r2, b2)}
}

// wait returns how long until both keys have a token again.
func (p pair) wait(key1, key2 string, now time.Time) time.Duration {
	return max(p.first.wait(key1, now), p.second.wait(key2, now))
}

// take spends one token of each key.
func (p pair) take(key1, key2 string, now time.Time) {
	p.first.take(key1, now)
	p.second.take(key2, now)
}

// allow spends one token of each key, or none and returns how long to wait
// when either is empty.
func (p pair) allow(key1, key2 string, now time.Time) time.Duration {
	if w := p.wait(key1, key2, now); w > 0 {
		return w
	}
	p.take(key1, key2, now)
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
	accept          *limiterSet
}

func newLimits(c *Config) *limits {
	return &limits{
		invite:  newPair(c.InviteRate, c.InviteBurst, c.InviteTenantRate, c.InviteTenantBurst),
		resolve: newPair(c.ResolveRate, c.ResolveBurst, c.ResolveTenantRate, c.ResolveTenantBurst),
		login:   newPair(c.LoginAccountRate, c.LoginAccountBurst, c.LoginAddrRate, c.LoginAddrBurst),
		reset:   newPair(c.LoginAccountRate, c.LoginAccountBurst, c.LoginAddrRate, c.LoginAddrBurst),
		accept:  newLimiterSet(c.LoginAddrRate, c.LoginAddrBurst),
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
