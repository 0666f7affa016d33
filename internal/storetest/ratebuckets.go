package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"convene"
)

// testRateBuckets checks the shared token buckets: a burst, then one token
// per interval, never more than the burst, keys apart, several buckets
// taken all or none, sweeping only full buckets, and concurrent takers
// getting exactly the tokens there are.
func testRateBuckets(t *testing.T, open Opener) {
	store := open(t)
	buckets, ok := store.(convene.RateBuckets)
	if !ok {
		t.Fatalf("%T does not keep rate buckets (convene.RateBuckets)", store)
	}
	ctx := context.Background()
	const interval, burst = time.Second, 3
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	bucket := func(key string) convene.Bucket { return convene.Bucket{Key: key, Interval: interval, Burst: burst} }
	takeAll := func(at time.Time, keys ...string) bool {
		t.Helper()
		var bs []convene.Bucket
		for _, k := range keys {
			bs = append(bs, bucket(k))
		}
		ok, err := buckets.RateTake(ctx, at, bs...)
		if err != nil {
			t.Fatalf("RateTake(%v): %v", keys, err)
		}
		return ok
	}
	take := func(key string, at time.Time) bool { t.Helper(); return takeAll(at, key) }
	wait := func(key string, at time.Time) time.Duration {
		t.Helper()
		w, err := buckets.RateWait(ctx, at, bucket(key))
		if err != nil {
			t.Fatalf("RateWait(%s): %v", key, err)
		}
		return w
	}
	takes := func(key string, at time.Time, n int) (got int) {
		t.Helper()
		for range n {
			if take(key, at) {
				got++
			}
		}
		return got
	}

	t.Run("BurstThenOnePerInterval", func(t *testing.T) {
		if w := wait("login:a", t0); w != 0 {
			t.Errorf("a new bucket waits %s, want 0", w)
		}
		if got := takes("login:a", t0, 5); got != burst {
			t.Errorf("%d of 5 takes at once succeeded, want the burst of %d", got, burst)
		}
		if w := wait("login:a", t0); w != interval {
			t.Errorf("an empty bucket waits %s, want %s", w, interval)
		}
		if w := wait("login:a", t0.Add(999*time.Millisecond)); w != time.Millisecond {
			t.Errorf("1 ms before the next token it waits %s", w)
		}
		if take("login:a", t0.Add(999*time.Millisecond)) {
			t.Errorf("a token taken 1 ms early")
		}
		if got := takes("login:a", t0.Add(interval), 2); got != 1 {
			t.Errorf("%d takes after one interval, want 1", got)
		}
	})
	t.Run("NeverMoreThanTheBurst", func(t *testing.T) {
		later := t0.Add(time.Hour)
		if got := takes("login:a", later, 5); got != burst {
			t.Errorf("%d takes after an hour's rest, want the burst of %d", got, burst)
		}
	})
	t.Run("KeysApart", func(t *testing.T) {
		if got := takes("login:b", t0, burst); got != burst {
			t.Errorf("another key got %d of its %d tokens", got, burst)
		}
	})
	t.Run("SeveralBucketsAllOrNone", func(t *testing.T) {
		takes("pair:empty", t0, burst)
		if takeAll(t0, "pair:user", "pair:empty") {
			t.Fatalf("a take succeeded with one of its buckets empty")
		}
		if got := takes("pair:user", t0, burst+1); got != burst {
			t.Errorf("the refused take spent a token of the other bucket: %d of %d left", got, burst)
		}
		w, err := buckets.RateWait(ctx, t0, bucket("pair:fresh"), bucket("pair:empty"))
		if err != nil || w != interval {
			t.Errorf("waiting for a fresh and an empty bucket: %s (%v), want the empty one's %s", w, err, interval)
		}
		if !takeAll(t0.Add(interval), "pair:empty", "pair:fresh") {
			t.Errorf("a take of two buckets with a token each was refused")
		}
	})
	t.Run("SweepForgetsOnlyFullBuckets", func(t *testing.T) {
		takes("sweep:empty", t0, burst)
		if err := buckets.RateSweep(ctx, t0); err != nil {
			t.Fatal(err)
		}
		if take("sweep:empty", t0) {
			t.Errorf("a sweep refilled a bucket that was not full yet")
		}
		if err := buckets.RateSweep(ctx, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := takes("sweep:empty", t0.Add(time.Hour), burst+1); got != burst {
			t.Errorf("%d takes after the sweep, want the burst of %d", got, burst)
		}
	})
	t.Run("ConcurrentTakers", func(t *testing.T) {
		const takers, bigBurst = 20, 5
		var won atomic.Int32
		var wg sync.WaitGroup
		for range takers {
			wg.Go(func() {
				ok, err := buckets.RateTake(ctx, t0, convene.Bucket{Key: "race", Interval: time.Minute, Burst: bigBurst},
					convene.Bucket{Key: "race:tenant", Interval: time.Minute, Burst: 100})
				if err != nil {
					t.Errorf("RateTake: %v", err)
				}
				if ok {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != bigBurst {
			t.Errorf("%d of %d concurrent takers got a token, want exactly %d", won.Load(), takers, bigBurst)
		}
	})
}
