package live_test

import (
	"context"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/live"
	"convene/internal/live/livetest"
	"convene/internal/sqlite"
)

// subscribersEnv sets how many subscribers BenchmarkFanOut follows one
// session with (default 1,000; 10,000 on demand).
const subscribersEnv = "CONVENE_LIVE_SUBSCRIBERS"

// write is the one change fanOut times: a message posted, or a batch.
type write func(tb testing.TB, store convene.Store, ctx context.Context, sessionID int64)

func postOne(tb testing.TB, store convene.Store, ctx context.Context, sessionID int64) {
	livetest.Post(tb, store, ctx, sessionID, "fan-out", 1)
}

// grantOne adds a new person to the session by a multi-invite: a batch's
// member.changed, after which every subscriber looks up its own access.
func grantOne(tb testing.TB, store convene.Store, ctx context.Context, sessionID int64) {
	u := &convene.User{Name: "Newcomer", Email: "newcomer@acme.test", Role: convene.RoleMember}
	if err := store.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	if _, err := store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{sessionID}, Contacts: []string{u.Email}}); err != nil {
		tb.Fatal(err)
	}
}

// fanOut subscribes n subscribers (each its own goroutine, as each SSE
// stream is) to one session, makes one write and returns the time until
// each had the event, sorted, and the memory each subscriber costs (heap
// and stacks, measured after a GC).
func fanOut(tb testing.TB, n int, change write) (latencies []time.Duration, bytesEach float64) {
	store := sqlite.OpenTestDB(tb)
	hub := live.New(store)
	hub.Hear(store)
	ctx, sid := livetest.Place(tb, store, "acme")
	before := memInUse()
	subs := make([]*live.Subscription, n)
	for i := range subs {
		sub, err := hub.Subscribe(ctx, sid, live.FromNow)
		if err != nil {
			tb.Fatal(err)
		}
		subs[i] = sub
	}
	got := make([]time.Time, n)
	var waiting, done sync.WaitGroup
	waiting.Add(n)
	done.Add(n)
	wctx, cancel := context.WithTimeout(context.Background(), livetest.Wait)
	defer cancel()
	for i, sub := range subs {
		go func() {
			defer done.Done()
			waiting.Done()
			if _, err := sub.Next(wctx); err == nil {
				got[i] = time.Now()
			}
		}()
	}
	waiting.Wait()
	bytesEach = float64(memInUse()-before) / float64(n)
	start := time.Now()
	change(tb, store, ctx, sid)
	done.Wait()
	for i, at := range got {
		if at.IsZero() {
			tb.Fatalf("subscriber %d never got the event", i)
		}
		latencies = append(latencies, at.Sub(start))
		subs[i].Close()
	}
	slices.Sort(latencies)
	return latencies, bytesEach
}

func memInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

// TestFanOutSmall runs the benchmark's code at a small size, so that it
// cannot rot: 50 subscribers, every one gets the write.
func TestFanOutSmall(t *testing.T) {
	for _, change := range []write{postOne, grantOne} {
		if lat, _ := fanOut(t, 50, change); len(lat) != 50 {
			t.Fatalf("%d deliveries, want 50", len(lat))
		}
	}
}

// BenchmarkFanOut: subscribers to one session on one instance, one write,
// time until every subscriber has the event (p50, p99) and memory per
// subscriber. CONVENE_LIVE_SUBSCRIBERS=10000 for the large size.
func BenchmarkFanOut(b *testing.B) { benchFanOut(b, postOne) }

// BenchmarkFanOutBatch is BenchmarkFanOut with a multi-invite as the
// write: each subscriber reads its own access (one query) before it has
// the batch's member.changed.
func BenchmarkFanOutBatch(b *testing.B) { benchFanOut(b, grantOne) }

func benchFanOut(b *testing.B, change write) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv(subscribersEnv)); err == nil && v > 0 {
		n = v
	}
	for b.Loop() {
		lat, each := fanOut(b, n, change)
		b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		b.ReportMetric(each, "B/subscriber")
	}
}
