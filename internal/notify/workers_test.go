package notify_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"convene"
	"convene/internal/notify"
	"convene/internal/poll"
)

// worker is a fast-polling worker running until the test ends.
type worker struct {
	stop   func() // stops the worker and waits for it
	claims *claimCounter
}

// claimCounter is the store as one worker sees it, counting the claims
// that found nothing due: a worker claims only once it has finished what
// it claimed before, so such a claim shows it has nothing left to send.
type claimCounter struct {
	convene.Store
	empty atomic.Int64
}

// ClaimJobs claims as the store does, counting the claims that found nothing.
func (c *claimCounter) ClaimJobs(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*convene.Job, error) {
	jobs, err := c.Store.ClaimJobs(ctx, now, limit, lease)
	if err == nil && len(jobs) == 0 {
		c.empty.Add(1)
	}
	return jobs, err
}

// startWorker runs a worker on store with cfg, polling fast.
func startWorker(t testing.TB, store convene.Store, cfg notify.Config) *worker {
	t.Helper()
	cfg.PublicURL = publicURL
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 20 * time.Millisecond
	}
	if cfg.SendTimeout == 0 {
		cfg.SendTimeout = 5 * time.Second
	}
	claims := &claimCounter{Store: store}
	w := notify.NewWorker(claims, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	return &worker{stop: stop, claims: claims}
}

// settle waits until each of workers has twice found nothing to claim (the
// second claim began after settle did), so that a duplicate, or a message
// sent too early, would have shown by then.
func settle(t testing.TB, workers ...*worker) {
	t.Helper()
	for _, w := range workers {
		mark := w.claims.empty.Load()
		poll.Until(t, 10*time.Second, "the worker to find nothing left to send", func() bool {
			return w.claims.empty.Load() >= mark+2
		})
	}
}

// wantDelivered waits for one message to each of want (sorted) and fails t
// unless, once workers have nothing left to send, each got exactly one.
func wantDelivered(t testing.TB, mail *mailServer, workers []*worker, want ...string) {
	t.Helper()
	mail.wait(t, len(want), 10*time.Second)
	settle(t, workers...)
	if got := recipients(mail.Messages()); !slices.Equal(got, want) {
		t.Errorf("delivered to %v, want each of %v once", got, want)
	}
}
