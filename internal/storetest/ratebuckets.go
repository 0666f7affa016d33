package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"convene"
)

// The shape of every bucket of testRateBuckets, and the time it starts at.
const rateInterval, rateBurst = time.Second, 3

var rateT0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// rateBuckets is the store's shared token buckets, with helpers that fail
// the subtest they are given, not the test that opened the store.
type rateBuckets struct{ convene.RateBuckets }

func bucket(key string) convene.Bucket {
	return convene.Bucket{Key: key, Interval: rateInterval, Burst: rateBurst}
}

// takeAll takes a token of each of keys' buckets at once, or of none.
func (rb rateBuckets) takeAll(t *testing.T, at time.Time, keys ...string) bool {
	t.Helper()
	var bs []convene.Bucket
	for _, k := range keys {
		bs = append(bs, bucket(k))
	}
	ok, err := rb.RateTake(context.Background(), at, bs...)
	if err != nil {
		t.Fatalf("RateTake(%v): %v", keys, err)
	}
	return ok
}

func (rb rateBuckets) take(t *testing.T, key string, at time.Time) bool {
	t.Helper()
	return rb.takeAll(t, at, key)
}

func (rb rateBuckets) wait(t *testing.T, key string, at time.Time) time.Duration {
	t.Helper()
	w, err := rb.RateWait(context.Background(), at, bucket(key))
	if err != nil {
		t.Fatalf("RateWait(%s): %v", key, err)
	}
	return w
}

// takes tries n takes of key at at and returns how many succeeded.
func (rb rateBuckets) takes(t *testing.T, key string, at time.Time, n int) (got int) {
	t.Helper()
	for range n {
		if rb.take(t, key, at) {
			got++
		}
	}
	return got
}

// testRateBuckets checks the shared token buckets: a burst, then one token
// per interval, never more than the burst, keys apart, several buckets
// taken all or none, sweeping only full buckets, and concurrent takers
// getting exactly the tokens there are. Each subtest has keys of its own,
// so that none depends on what another left behind.
func testRateBuckets(t *testing.T, open Opener) {
	store := open(t)
	buckets, ok := store.(convene.RateBuckets)
	if !ok {
		t.Fatalf("%T does not keep rate buckets (convene.RateBuckets)", store)
	}
	rb := rateBuckets{buckets}
	tests := []struct {
		name string
		run  func(t *testing.T, rb rateBuckets)
	}{
		{"BurstThenOnePerInterval", testBurstThenOnePerInterval},
		{"NeverMoreThanTheBurst", testNeverMoreThanTheBurst},
		{"KeysApart", testKeysApart},
		{"SeveralBucketsAllOrNone", testSeveralBucketsAllOrNone},
		{"SweepForgetsOnlyFullBuckets", testSweepForgetsOnlyFullBuckets},
		{"ConcurrentTakers", testConcurrentTakers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, rb) })
	}
}

func testBurstThenOnePerInterval(t *testing.T, rb rateBuckets) {
	const key = "login:burst"
	if w := rb.wait(t, key, rateT0); w != 0 {
		t.Errorf("a new bucket waits %s, want 0", w)
	}
	if got := rb.takes(t, key, rateT0, 5); got != rateBurst {
		t.Errorf("%d of 5 takes at once succeeded, want the burst of %d", got, rateBurst)
	}
	if w := rb.wait(t, key, rateT0); w != rateInterval {
		t.Errorf("an empty bucket waits %s, want %s", w, rateInterval)
	}
	if w := rb.wait(t, key, rateT0.Add(999*time.Millisecond)); w != time.Millisecond {
		t.Errorf("1 ms before the next token it waits %s", w)
	}
	if rb.take(t, key, rateT0.Add(999*time.Millisecond)) {
		t.Errorf("a token taken 1 ms early")
	}
	if got := rb.takes(t, key, rateT0.Add(rateInterval), 2); got != 1 {
		t.Errorf("%d takes after one interval, want 1", got)
	}
}

func testNeverMoreThanTheBurst(t *testing.T, rb rateBuckets) {
	const key = "login:rested"
	if got := rb.takes(t, key, rateT0, rateBurst); got != rateBurst {
		t.Fatalf("emptying the bucket: %d of %d takes succeeded", got, rateBurst)
	}
	if got := rb.takes(t, key, rateT0.Add(time.Hour), 5); got != rateBurst {
		t.Errorf("%d takes after an hour's rest, want the burst of %d", got, rateBurst)
	}
}

func testKeysApart(t *testing.T, rb rateBuckets) {
	if got := rb.takes(t, "apart:a", rateT0, rateBurst+1); got != rateBurst {
		t.Fatalf("emptying one key: %d takes succeeded, want %d", got, rateBurst)
	}
	if got := rb.takes(t, "apart:b", rateT0, rateBurst); got != rateBurst {
		t.Errorf("another key got %d of its %d tokens", got, rateBurst)
	}
}

func testSeveralBucketsAllOrNone(t *testing.T, rb rateBuckets) {
	rb.takes(t, "pair:empty", rateT0, rateBurst)
	if rb.takeAll(t, rateT0, "pair:user", "pair:empty") {
		t.Fatalf("a take succeeded with one of its buckets empty")
	}
	if got := rb.takes(t, "pair:user", rateT0, rateBurst+1); got != rateBurst {
		t.Errorf("the refused take spent a token of the other bucket: %d of %d left", got, rateBurst)
	}
	w, err := rb.RateWait(context.Background(), rateT0, bucket("pair:fresh"), bucket("pair:empty"))
	if err != nil || w != rateInterval {
		t.Errorf("waiting for a fresh and an empty bucket: %s (%v), want the empty one's %s", w, err, rateInterval)
	}
	if !rb.takeAll(t, rateT0.Add(rateInterval), "pair:empty", "pair:fresh") {
		t.Errorf("a take of two buckets with a token each was refused")
	}
}

func testSweepForgetsOnlyFullBuckets(t *testing.T, rb rateBuckets) {
	ctx := context.Background()
	rb.takes(t, "sweep:empty", rateT0, rateBurst)
	if err := rb.RateSweep(ctx, rateT0); err != nil {
		t.Fatal(err)
	}
	if rb.take(t, "sweep:empty", rateT0) {
		t.Errorf("a sweep refilled a bucket that was not full yet")
	}
	if err := rb.RateSweep(ctx, rateT0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := rb.takes(t, "sweep:empty", rateT0.Add(time.Hour), rateBurst+1); got != rateBurst {
		t.Errorf("%d takes after the sweep, want the burst of %d", got, rateBurst)
	}
}

func testConcurrentTakers(t *testing.T, rb rateBuckets) {
	const takers, bigBurst = 20, 5
	var won atomic.Int32
	var wg sync.WaitGroup
	for range takers {
		wg.Go(func() {
			ok, err := rb.RateTake(context.Background(), rateT0, convene.Bucket{Key: "race", Interval: time.Minute, Burst: bigBurst},
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
}
