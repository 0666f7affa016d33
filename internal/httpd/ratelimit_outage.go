package httpd

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limitRetryAfter is what a refusal for an unavailable limit asks clients
// to wait: long enough not to hammer a recovering database.
const limitRetryAfter = 5 * time.Second

// limitUnavailable is the answer when a limit cannot count: 503 with
// Retry-After, never a request let through uncounted.
func limitUnavailable() *Problem {
	p := NewProblem(http.StatusServiceUnavailable, "rate_limit_unavailable",
		"this request cannot be counted against its rate limit right now; try again shortly")
	p.GetHeaders().Set("Retry-After", strconv.Itoa(int(limitRetryAfter/time.Second)))
	return p
}

// outageLog logs the store failures of the rate limits at most once a
// minute, with their cause and how many requests were refused since the
// line before, so that a storm of refusals is one line, not one per
// request.
type outageLog struct {
	log *slog.Logger

	mu      sync.Mutex
	next    time.Time // no line before then
	refusal int       // requests refused since the last line
}

// refused counts one request refused by limit for err, logging it when
// no line was written in the last minute.
func (o *outageLog) refused(ctx context.Context, now time.Time, limit string, err error) {
	o.mu.Lock()
	o.refusal++
	if now.Before(o.next) {
		o.mu.Unlock()
		return
	}
	n := o.refusal
	o.refusal, o.next = 0, now.Add(time.Minute)
	o.mu.Unlock()
	o.log.ErrorContext(ctx, "rate limit store unavailable: requests refused with 503", "limit", limit, "err", err,
		"refused", n, "next_line_after", "1m")
}
