package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"convene"
)

// BenchSizes are the contacts x sessions shapes of the grant benchmarks.
var BenchSizes = []struct{ Contacts, Sessions int }{{10, 10}, {100, 100}, {1000, 1000}}

// benchSizes is BenchSizes without the million pairs under -short, which
// is how the test command runs every benchmark once, small, so that none
// can rot between the runs that measure.
func benchSizes() []struct{ Contacts, Sessions int } {
	if !testing.Short() {
		return BenchSizes
	}
	var small []struct{ Contacts, Sessions int }
	for _, size := range BenchSizes {
		if size.Contacts*size.Sessions <= 10_000 {
			small = append(small, size)
		}
	}
	return small
}

// InsertFunc writes one membership row (access collaborate) for every
// session x user pair into a store's write database, by the fastest raw
// means the database offers: the floor that Grant is measured against.
type InsertFunc func(ctx context.Context, db *sql.DB, sessionIDs, userIDs []int64) error

// BenchmarkGrant measures one multi-invite of fresh contacts to fresh
// sessions (every pair added, collaborate), as the Tenant Admin, per size.
func BenchmarkGrant(b *testing.B, open Opener) {
	runSizes(b, open, func(b *testing.B, f *Fixture, sessionIDs []int64, users []*convene.User) {
		batch, err := f.Store.Grant(As(f.Admin), convene.GrantRequest{SessionIDs: sessionIDs, Contacts: emails(users), Access: convene.AccessCollaborate})
		if err != nil {
			b.Fatalf("Grant: %v", err)
		}
		if got, want := batch.Counts.Added, len(sessionIDs)*len(users); got != want {
			b.Fatalf("Grant added %d pairs, want %d", got, want)
		}
	})
}

// BenchmarkBaseline measures insert writing the same membership rows as
// BenchmarkGrant, per size.
func BenchmarkBaseline(b *testing.B, open Opener, insert InsertFunc) {
	runSizes(b, open, func(b *testing.B, f *Fixture, sessionIDs []int64, users []*convene.User) {
		_, write := databases(b, f.Store)
		if err := insert(context.Background(), write, sessionIDs, userIDs(users)); err != nil {
			b.Fatalf("raw insert: %v", err)
		}
	})
}

// userIDs returns the ids of users.
func userIDs(users []*convene.User) []int64 {
	out := make([]int64, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// runSizes runs op once per iteration on fresh users and sessions, made with
// the timer stopped, in one store per size.
func runSizes(b *testing.B, open Opener, op func(b *testing.B, f *Fixture, sessionIDs []int64, users []*convene.User)) {
	for _, size := range benchSizes() {
		b.Run(fmt.Sprintf("%dx%d", size.Contacts, size.Sessions), func(b *testing.B) {
			f := newFixture(b, open)
			round, peak := 0, 0.0
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				round++
				users := f.Users(b, fmt.Sprintf("r%du", round), size.Contacts)
				sessions := f.Sessions(b, f.Admin, size.Sessions)
				measured := resetPeakRSS()
				b.StartTimer()
				op(b, f, ids(sessions), users)
				b.StopTimer()
				if measured {
					peak = max(peak, peakRSS())
				}
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(size.Contacts*size.Sessions*b.N)/b.Elapsed().Seconds(), "pairs/s")
			if peak > 0 {
				// The whole process: the store, the server when there is
				// one, and the benchmark (whose own share is its inputs).
				b.ReportMetric(peak, "peak-RSS-MiB")
			}
		})
	}
}

// BenchmarkRateTake measures the shared rate limit of one request: a token
// taken from a user's and a tenant's bucket together, by 16 requests at
// once (200 users, one tenant, buckets that never run dry).
func BenchmarkRateTake(b *testing.B, open Opener) {
	buckets, ok := open(b).(convene.RateBuckets)
	if !ok {
		b.Fatal("the store keeps no rate buckets")
	}
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(16 / max(1, runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			user := fmt.Sprintf("bench.user:%d", next.Add(1)%200)
			ok, err := buckets.RateTake(ctx, time.Now(),
				convene.Bucket{Key: user, Interval: time.Microsecond, Burst: 1 << 20},
				convene.Bucket{Key: "bench.tenant:1", Interval: time.Microsecond, Burst: 1 << 20})
			if err != nil || !ok {
				b.Fatalf("RateTake = %v, %v", ok, err)
			}
		}
	})
}
