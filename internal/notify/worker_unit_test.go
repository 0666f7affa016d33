package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/notify"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
)

// The tests in this file step the worker's own logic (backoff, giving up,
// escaping, stopping) against a real SQLite store whose clock the worker
// shares; only the email and SMS senders are recorders.

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

// queued is a world in a fresh SQLite store whose admin has granted Bob one
// session: one notify-batch job is queued for him. Bob's name, the session's
// title and the tenant's name all need escaping in HTML.
type queued struct {
	*world
	db      *sqlstore.DB
	clock   *fakeClock // the store's clock; workers should share it
	bob     *convene.User
	session int64
	batch   *convene.Batch
	jobID   int64
}

// newQueued builds a queued world in which Bob has the given email and
// phone, and is granted access by the first of them that is set.
func newQueued(t *testing.T, email, phone string) *queued {
	t.Helper()
	db := sqlite.OpenTestDB(t)
	clock := &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	db.SetClock(clock.Now)
	w := newWorld(t, db)
	name := "Acme & Co"
	tenant, err := db.UpdateTenant(convene.NewContextWithUser(context.Background(), w.Admin), convene.TenantUpdate{Name: &name})
	if err != nil {
		t.Fatalf("UpdateTenant: %v", err)
	}
	w.Tenant = tenant
	q := &queued{world: w, db: db, clock: clock}
	q.bob = w.User(t, "Bob <b>", email, phone, convene.RoleMember)
	q.session = w.session(t, "Q3 <Plans> & more")
	contact := email
	if contact == "" {
		contact = phone
	}
	q.batch = w.grant(t, []int64{q.session}, contact)
	jobs := w.jobs(t)
	if len(jobs) != 1 || len(jobs[convene.JobQueued]) != 1 {
		t.Fatalf("after the grant: jobs by status %v, want 1 queued", counts(jobs))
	}
	q.jobID = jobs[convene.JobQueued][0].ID
	return q
}

// job returns the stored job id.
func (w *world) job(t testing.TB, id int64) convene.Job {
	t.Helper()
	for _, js := range w.jobs(t) {
		for _, j := range js {
			if j.ID == id {
				return *j
			}
		}
	}
	t.Fatalf("no job %d", id)
	return convene.Job{}
}

func TestWorkerBacksOffThenGivesUp(t *testing.T) {
	q := newQueued(t, "bob@acme.test", "")
	rec := &recorder{fail: errors.New("connection refused")}
	w := notify.NewWorker(q.Store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: q.clock.Now, MaxAttempts: 4, PublicURL: "https://c.test/"})
	ctx := context.Background()

	wantWaits := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute}
	for i, wait := range wantWaits {
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("attempt %d: RunOnce = %d, %v", i+1, n, err)
		}
		j := q.job(t, q.jobID)
		if j.Status != convene.JobQueued || j.Attempts != i+1 || !strings.Contains(j.LastError, "connection refused") {
			t.Fatalf("after attempt %d: job %+v, want queued with the error", i+1, j)
		}
		if got := j.RunAt.Sub(q.clock.Now()); got != wait {
			t.Errorf("after attempt %d: retry in %v, want %v", i+1, got, wait)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Errorf("after attempt %d: claimed again before its time", i+1)
		}
		q.clock.Add(wait)
	}
	if n, err := w.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("last attempt: RunOnce = %d, %v", n, err)
	}
	if j := q.job(t, q.jobID); j.Status != convene.JobFailed || j.Attempts != 4 || !strings.Contains(j.LastError, "connection refused") {
		t.Errorf("after the last attempt: job %+v, want failed after 4 attempts with the reason", j)
	}
	q.clock.Add(24 * time.Hour)
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Errorf("a failed job was claimed again")
	}
	if n := len(rec.Messages()); n != 0 {
		t.Errorf("%d messages recorded as sent, want none", n)
	}
	if got := w.Backoff(20); got != time.Hour {
		t.Errorf("Backoff(20) = %v, want the 1h cap", got)
	}
}

func TestWorkerRendersBatchMessage(t *testing.T) {
	q := newQueued(t, "bob@acme.test", "")
	rec := &recorder{}
	w := notify.NewWorker(q.Store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: q.clock.Now, PublicURL: "https://c.test/"})
	if n, err := w.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v; want 1 job", n, err)
	}
	msgs := rec.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages sent, want 1", len(msgs))
	}
	m := msgs[0]
	if m.To != "bob@acme.test" || m.ToName != "Bob <b>" || m.Channel != "email" || m.ID != fmt.Sprintf("job-%d", q.jobID) {
		t.Errorf("message = %+v", m)
	}
	if want := `Ada Admin gave you access to "Q3 <Plans> & more" in Acme & Co`; m.Subject != want {
		t.Errorf("subject = %q, want %q", m.Subject, want)
	}
	link := fmt.Sprintf("https://c.test/sessions/%d", q.session)
	if !strings.Contains(m.Text, link) || !strings.Contains(m.Text, "Q3 <Plans> & more") {
		t.Errorf("text lacks the session link or title:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, `<a href="`+link+`">Q3 &lt;Plans&gt; &amp; more</a>`) || strings.Contains(m.HTML, "<b>") {
		t.Errorf("html does not escape the title and name:\n%s", m.HTML)
	}
	if j := q.job(t, q.jobID); j.Status != convene.JobSent || j.Attempts != 1 || j.Recipient != "bob@acme.test" || j.Channel != "email" || j.Body != m.Text || j.Subject != m.Subject {
		t.Errorf("recorded job = %+v", j)
	}

	// A phone-only person gets a short SMS.
	q = newQueued(t, "", "+13245768342")
	rec = &recorder{}
	notify.NewWorker(q.Store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: q.clock.Now, PublicURL: "https://c.test"}).RunOnce(context.Background())
	if msgs := rec.Messages(); len(msgs) != 1 || msgs[0].Channel != "sms" || msgs[0].To != "+13245768342" || msgs[0].HTML != "" ||
		!strings.Contains(msgs[0].Text, fmt.Sprintf("https://c.test/sessions/%d", q.session)) {
		t.Errorf("phone-only person got %+v, want one SMS with the link", msgs)
	}
	if j := q.job(t, q.jobID); j.Status != convene.JobSent || j.Channel != "sms" || j.Recipient != "+13245768342" {
		t.Errorf("recorded job = %+v", j)
	}
}

func TestWorkerFailsUnrenderableJobAtOnce(t *testing.T) {
	q := newQueued(t, "bob@acme.test", "")
	// No store method writes a job that cannot be rendered (its person
	// gone, or a kind this version does not know, e.g. after a downgrade),
	// so this test writes them into the SQLite file itself.
	write := q.db.WriteDB()
	ctx := context.Background()
	if _, err := write.ExecContext(ctx, `UPDATE jobs SET payload = ? WHERE id = ?`,
		[]byte(fmt.Sprintf(`{"batch_id":%d,"user_id":99}`, q.batch.ID)), q.jobID); err != nil {
		t.Fatal(err)
	}
	now := q.clock.Now().UnixNano()
	res, err := write.ExecContext(ctx, `INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		q.Tenant.ID, "no_such_kind", []byte(`{}`), string(convene.JobQueued), now, now, now)
	if err != nil {
		t.Fatal(err)
	}
	unknown, _ := res.LastInsertId()

	rec := &recorder{}
	w := notify.NewWorker(q.Store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: q.clock.Now})
	if n, err := w.RunOnce(ctx); n != 2 || err != nil {
		t.Fatalf("RunOnce = %d, %v; want 2 jobs", n, err)
	}
	for id, want := range map[int64]string{q.jobID: "user 99", unknown: "unknown job kind"} {
		if j := q.job(t, id); j.Status != convene.JobFailed || j.Attempts != 1 || !strings.Contains(j.LastError, want) {
			t.Errorf("job %d = %+v, want failed at its first attempt mentioning %q", id, j, want)
		}
	}
	if n := len(rec.Messages()); n != 0 {
		t.Errorf("%d messages sent, want none", n)
	}
}

func TestWorkerStopsPromptly(t *testing.T) {
	q := newQueued(t, "bob@acme.test", "")
	rec := &recorder{sent1: make(chan struct{}, 1)}
	w := notify.NewWorker(q.Store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: q.clock.Now, PollInterval: time.Hour})
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
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of cancel")
	}
}
