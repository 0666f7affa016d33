package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/notify"
)

// memStore is an in-memory stand-in for the parts of a store the worker
// uses, for tests of the worker's own logic (backoff, giving up, stopping).
// Calling any other method panics through the nil embedded Store.
type memStore struct {
	convene.Store
	mu       sync.Mutex
	jobs     map[int64]*convene.Job
	users    map[int64]*convene.User
	sessions map[int64]*convene.Session
	batch    *convene.Batch
}

func newMemStore() *memStore {
	s := &memStore{jobs: map[int64]*convene.Job{}, users: map[int64]*convene.User{}, sessions: map[int64]*convene.Session{}}
	s.users[1] = &convene.User{ID: 1, TenantID: 1, Name: "Ada", Email: "ada@acme.test", Role: convene.RoleAdmin}
	s.users[2] = &convene.User{ID: 2, TenantID: 1, Name: "Bob <b>", Email: "bob@acme.test", Role: convene.RoleMember}
	s.sessions[10] = &convene.Session{ID: 10, TenantID: 1, Title: "Q3 <Plans> & more"}
	s.batch = &convene.Batch{ID: 5, TenantID: 1, ActorID: 1, Access: convene.AccessView, SessionIDs: []int64{10},
		Results: []convene.BatchResult{{UserID: 2, Status: convene.StatusRegistered, Outcomes: []convene.Outcome{convene.OutcomeAdded}}}}
	s.jobs[1] = &convene.Job{ID: 1, TenantID: 1, Kind: convene.JobNotifyBatch, Payload: []byte(`{"batch_id":5,"user_id":2}`), Status: convene.JobQueued}
	return s
}

func (s *memStore) ClaimJobs(_ context.Context, now time.Time, limit int, lease time.Duration) ([]*convene.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*convene.Job
	for _, j := range s.jobs {
		due := (j.Status == convene.JobQueued || j.Status == convene.JobRunning) && !j.RunAt.After(now)
		if due && len(out) < limit {
			j.Status, j.RunAt = convene.JobRunning, now.Add(lease)
			j.Attempts++
			c := *j
			out = append(out, &c)
		}
	}
	return out, nil
}

func (s *memStore) CompleteJob(_ context.Context, job *convene.Job) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *job
	c.Status = convene.JobSent
	s.jobs[job.ID] = &c
	return nil
}

func (s *memStore) RetryJob(_ context.Context, id int64, lastError string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jobs[id]
	j.LastError, j.RunAt, j.Status = lastError, at, convene.JobQueued
	if at.IsZero() {
		j.Status = convene.JobFailed
	}
	return nil
}

func (s *memStore) job(id int64) convene.Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.jobs[id]
}

func (s *memStore) FindBatch(context.Context, int64) (*convene.Batch, error) { return s.batch, nil }

func (s *memStore) FindUserByID(_ context.Context, id int64) (*convene.User, error) {
	if u, ok := s.users[id]; ok {
		return u, nil
	}
	return nil, convene.Errorf(convene.ENOTFOUND, "no user %d", id)
}

func (s *memStore) FindSessionByID(_ context.Context, id int64) (*convene.Session, error) {
	if x, ok := s.sessions[id]; ok {
		return x, nil
	}
	return nil, convene.Errorf(convene.ENOTFOUND, "no session %d", id)
}

func (s *memStore) CurrentTenant(context.Context) (*convene.Tenant, error) {
	return &convene.Tenant{ID: 1, Name: "Acme & Co"}, nil
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// recorder is an email and SMS sender that records what it is given and
// fails while fail is set.
type recorder struct {
	mu    sync.Mutex
	sent  []notify.Message
	fail  error
	sent1 chan struct{}
}

func (r *recorder) send(m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, m)
	if r.sent1 != nil {
		r.sent1 <- struct{}{}
	}
	return nil
}
func (r *recorder) SendEmail(_ context.Context, m notify.Message) error { return r.send(m) }
func (r *recorder) SendSMS(_ context.Context, m notify.Message) error   { return r.send(m) }
func (r *recorder) Messages() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Message(nil), r.sent...)
}
func (r *recorder) setFail(err error) { r.mu.Lock(); r.fail = err; r.mu.Unlock() }

func TestWorkerBacksOffThenGivesUp(t *testing.T) {
	store := newMemStore()
	clock := &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	rec := &recorder{fail: errors.New("connection refused")}
	w := notify.NewWorker(store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: clock.Now, MaxAttempts: 4, PublicURL: "https://c.test/"})
	ctx := context.Background()

	wantWaits := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute}
	for i, wait := range wantWaits {
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("attempt %d: RunOnce = %d, %v", i+1, n, err)
		}
		j := store.job(1)
		if j.Status != convene.JobQueued || !strings.Contains(j.LastError, "connection refused") {
			t.Fatalf("after attempt %d: job %+v, want queued with the error", i+1, j)
		}
		if got := j.RunAt.Sub(clock.Now()); got != wait {
			t.Errorf("after attempt %d: retry in %v, want %v", i+1, got, wait)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Errorf("after attempt %d: claimed again before its time", i+1)
		}
		clock.Add(wait)
	}
	w.RunOnce(ctx)
	if j := store.job(1); j.Status != convene.JobFailed || j.Attempts != 4 || !strings.Contains(j.LastError, "connection refused") {
		t.Errorf("after the last attempt: job %+v, want failed after 4 attempts with the reason", j)
	}
	if got := w.Backoff(20); got != time.Hour {
		t.Errorf("Backoff(20) = %v, want the 1h cap", got)
	}
}

func TestWorkerRendersBatchMessage(t *testing.T) {
	store := newMemStore()
	rec := &recorder{}
	w := notify.NewWorker(store, notify.Config{Logger: quiet, Email: rec, SMS: rec, PublicURL: "https://c.test/"})
	w.RunOnce(context.Background())
	msgs := rec.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages sent, want 1", len(msgs))
	}
	m := msgs[0]
	if m.To != "bob@acme.test" || m.ToName != "Bob <b>" || m.Channel != "email" || m.ID != "job-1" {
		t.Errorf("message = %+v", m)
	}
	if want := `Ada gave you access to "Q3 <Plans> & more" in Acme & Co`; m.Subject != want {
		t.Errorf("subject = %q, want %q", m.Subject, want)
	}
	if !strings.Contains(m.Text, "https://c.test/sessions/10") || !strings.Contains(m.Text, "Q3 <Plans> & more") {
		t.Errorf("text lacks the session link or title:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, `<a href="https://c.test/sessions/10">Q3 &lt;Plans&gt; &amp; more</a>`) || strings.Contains(m.HTML, "<b>") {
		t.Errorf("html does not escape the title and name:\n%s", m.HTML)
	}
	if j := store.job(1); j.Status != convene.JobSent || j.Recipient != "bob@acme.test" || j.Channel != "email" || j.Body != m.Text || j.Subject != m.Subject {
		t.Errorf("recorded job = %+v", j)
	}

	// A phone-only person gets a short SMS.
	store = newMemStore()
	store.users[2].Email, store.users[2].Phone = "", "+13245768342"
	rec = &recorder{}
	notify.NewWorker(store, notify.Config{Logger: quiet, Email: rec, SMS: rec, PublicURL: "https://c.test"}).RunOnce(context.Background())
	if msgs := rec.Messages(); len(msgs) != 1 || msgs[0].Channel != "sms" || msgs[0].To != "+13245768342" || msgs[0].HTML != "" ||
		!strings.Contains(msgs[0].Text, "https://c.test/sessions/10") {
		t.Errorf("phone-only person got %+v, want one SMS with the link", msgs)
	}
}

func TestWorkerFailsUnrenderableJobAtOnce(t *testing.T) {
	store := newMemStore()
	store.jobs[1].Payload = []byte(`{"batch_id":5,"user_id":99}`)
	store.jobs[2] = &convene.Job{ID: 2, TenantID: 1, Kind: "no_such_kind", Status: convene.JobQueued}
	rec := &recorder{}
	notify.NewWorker(store, notify.Config{Logger: quiet, Email: rec, SMS: rec}).RunOnce(context.Background())
	for id, want := range map[int64]string{1: "user 99", 2: "unknown job kind"} {
		if j := store.job(id); j.Status != convene.JobFailed || !strings.Contains(j.LastError, want) {
			t.Errorf("job %d = %+v, want failed mentioning %q", id, j, want)
		}
	}
	if n := len(rec.Messages()); n != 0 {
		t.Errorf("%d messages sent, want none", n)
	}
}

func TestWorkerStopsPromptly(t *testing.T) {
	store := newMemStore()
	rec := &recorder{sent1: make(chan struct{}, 1)}
	w := notify.NewWorker(store, notify.Config{Logger: quiet, Email: rec, SMS: rec, PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	select {
	case <-rec.sent1: // the first poll runs at once
	case <-time.After(5 * time.Second):
		t.Fatal("no message sent within 5s")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil on cancel", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return within 1s of cancel")
	}
}
