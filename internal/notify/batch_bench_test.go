package notify_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/notify"
	"convene/internal/postgres"
	"convene/internal/sqlite"
)

// batchBenchEnv sets the side of the square batch of
// BenchmarkBatchDelivery: CONVENE_BENCH_BATCH=1000 delivers a 1,000 x
// 1,000 (1M-pair) batch. Unset, it is small, so that the benchmark runs in
// every test run and cannot rot.
const batchBenchEnv = "CONVENE_BENCH_BATCH"

// stores are the databases the delivery benchmark runs on.
var stores = []struct {
	name string
	open func(testing.TB) convene.Store
}{
	{"sqlite", func(t testing.TB) convene.Store { return sqlite.OpenTestDB(t) }},
	{"postgres", func(t testing.TB) convene.Store { return postgres.OpenTestDB(t) }},
}

// counter is a sender of both channels that counts the messages and keeps
// the last one; done is closed when the count reaches want.
type counter struct {
	mu   sync.Mutex
	n    int
	want int
	last notify.Message
	done chan struct{}
}

func newCounter(want int) *counter { return &counter{want: want, done: make(chan struct{})} }

func (c *counter) SendEmail(_ context.Context, m notify.Message) error { return c.count(m) }
func (c *counter) SendSMS(_ context.Context, m notify.Message) error   { return c.count(m) }

func (c *counter) count(m notify.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n, c.last = c.n+1, m
	if c.n == c.want {
		close(c.done)
	}
	return nil
}

// deliverBatch grants size registered people access to size fresh
// sessions, then runs one worker until every person's message is sent. It
// returns the time from the commit of the grant to the last message, and
// that message.
func deliverBatch(tb testing.TB, w *world, size int) (time.Duration, notify.Message) {
	tb.Helper()
	contacts := make([]string, size)
	for i := range contacts {
		contacts[i] = w.User(tb, "P"+strconv.Itoa(i), fmt.Sprintf("p%d@acme.test", i), "", convene.RoleMember).Email
	}
	sessions := make([]int64, size)
	for i := range sessions {
		sessions[i] = w.session(tb, "Session "+strconv.Itoa(i))
	}
	sent := newCounter(size)
	w.grant(tb, sessions, contacts...)
	start := time.Now() // Grant returns once its transaction has committed
	wk := startWorker(tb, w.Store, notify.Config{Email: sent, SMS: sent, PollInterval: 10 * time.Millisecond, SendTimeout: time.Minute})
	select {
	case <-sent.done:
	case <-time.After(30 * time.Minute):
		tb.Fatalf("after 30 min, %d of %d messages sent", sent.n, size)
	}
	took := time.Since(start)
	wk.stop()
	return took, sent.last
}

// BenchmarkBatchDelivery measures the delivery of one multi-invite's
// messages, from the commit of the batch to the last message sent, on
// each database.
func BenchmarkBatchDelivery(b *testing.B) {
	size := 20
	if v, err := strconv.Atoi(os.Getenv(batchBenchEnv)); err == nil && v > 0 {
		size = min(v, convene.MaxGrantSessions)
	}
	for _, db := range stores {
		b.Run(fmt.Sprintf("%s/%dx%d", db.name, size, size), func(b *testing.B) {
			var total time.Duration
			for range b.N {
				took, _ := deliverBatch(b, newWorld(b, db.open(b)), size)
				total += took
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/batch")
			b.ReportMetric(float64(size*b.N)/total.Seconds(), "msgs/s")
		})
	}
}

// TestBatchDeliveryBenchmarkRuns runs the benchmark's delivery at a size
// past the listing limit and checks what the last person was told.
func TestBatchDeliveryBenchmarkRuns(t *testing.T) {
	for _, db := range stores {
		t.Run(db.name, func(t *testing.T) {
			_, m := deliverBatch(t, newWorld(t, db.open(t)), 60)
			if n := strings.Count(m.Text, publicURL+"/sessions/"); n != 50 {
				t.Errorf("the message links %d sessions, want the first 50 of 60:\n%s", n, m.Text)
			}
			if !strings.Contains(m.Text, "10 more") {
				t.Errorf("the message does not count the 10 sessions it leaves out:\n%s", m.Text)
			}
		})
	}
}
