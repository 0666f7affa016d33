package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/notify"
	"convene/internal/poll"
	"convene/internal/sqlite"
	"convene/internal/storetest"
)

// The tests in this file run the worker against a real SQLite store, a
// real SMTP server (emersion/go-smtp, in process) and a recording SMS sender.

const publicURL = "https://convene.example"

// quiet is the logger of workers under test.
var quiet = slog.New(slog.DiscardHandler)

// world is one tenant in a store, with its admin: the storetest fixture,
// with the shorthands of these tests.
type world struct{ *storetest.Fixture }

// newWorld creates tenant acme in store, guests allowed, with Ada as its
// admin.
func newWorld(t testing.TB, store convene.Store) *world {
	t.Helper()
	tenant := &convene.Tenant{Slug: "acme", Name: "Acme", DefaultRegion: "US", GuestsAllowed: true, InvitationTTL: convene.DefaultInvitationTTL}
	admin := &convene.User{Name: "Ada Admin", Email: "ada@acme.test", Role: convene.RoleAdmin}
	return &world{storetest.AddTenantWith(t, store, tenant, admin)}
}

// session creates a session titled title as the admin.
func (w *world) session(t testing.TB, title string) int64 {
	t.Helper()
	return w.Session(t, w.Admin, title).ID
}

// sessions creates n sessions titled "Session i <i>", which need escaping.
func (w *world) sessions(t testing.TB, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		ids = append(ids, w.session(t, fmt.Sprintf("Session %d <%d>", i, i)))
	}
	return ids
}

// members registers a member for each name, with email <name>@acme.test,
// and returns their emails.
func (w *world) members(t testing.TB, names ...string) []string {
	t.Helper()
	var emails []string
	for _, n := range names {
		emails = append(emails, w.Member(t, n).Email)
	}
	return emails
}

// grant multi-invites contacts to sessions as the admin.
func (w *world) grant(t testing.TB, sessions []int64, contacts ...string) *convene.Batch {
	t.Helper()
	return w.Grant(t, w.Admin, convene.GrantRequest{SessionIDs: sessions, Contacts: contacts, Access: convene.AccessCollaborate})
}

// jobs returns the tenant's jobs by status.
func (w *world) jobs(t testing.TB) map[convene.JobStatus][]*convene.Job {
	t.Helper()
	jobs, err := w.Store.FindJobs(w.Sys(), convene.JobFilter{Limit: 1000})
	if err != nil {
		t.Fatalf("FindJobs: %v", err)
	}
	out := map[convene.JobStatus][]*convene.Job{}
	for _, j := range jobs {
		out[j.Status] = append(out[j.Status], j)
	}
	return out
}

// recipients returns the RCPT TO of each message, sorted.
func recipients(ms []received) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.To...)
	}
	slices.Sort(out)
	return out
}

// openFile opens the SQLite store in the file at path, closed when the
// test ends unless the test closes it first (to "crash").
func openFile(t testing.TB, path string) convene.Store {
	t.Helper()
	store, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

func TestMultiInviteSendsOneMessagePerPerson(t *testing.T) {
	w := newWorld(t, sqlite.OpenTestDB(t))
	w.User(t, "Bea", "bea@acme.test", "", convene.RoleMember)
	w.User(t, `Cy, Bcc: x@evil.test <evil@evil.test> "`, "cy@acme.test", "", convene.RoleMember)
	w.User(t, "Dee", "", "+13245768342", convene.RoleMember)
	ss := w.sessions(t, 5)
	w.grant(t, ss, "bea@acme.test", "cy@acme.test", "+1 324 576 8342")

	mail := startMailServer(t, "127.0.0.1:0")
	sms := &recorder{}
	wk := startWorker(t, w.Store, notify.Config{Email: newSMTPSender(t, mail.Addr, ""), SMS: sms})

	got := mail.wait(t, 2, 10*time.Second)
	poll.Until(t, 10*time.Second, "the SMS", func() bool { return len(sms.Messages()) == 1 })
	settle(t, wk)
	if got := recipients(mail.Messages()); !slices.Equal(got, []string{"bea@acme.test", "cy@acme.test"}) {
		t.Errorf("emails to %v, want one each to bea and cy", got)
	}
	if n := len(sms.Messages()); n != 1 || sms.Messages()[0].To != "+13245768342" {
		t.Errorf("SMS: %+v, want one to +13245768342", sms.Messages())
	}
	for _, m := range got {
		text := bodyParts(t, m)["text/plain"]
		html := bodyParts(t, m)["text/html"]
		for i, id := range ss {
			link := fmt.Sprintf("%s/sessions/%d", publicURL, id)
			if !strings.Contains(text, link) || !strings.Contains(html, `href="`+link+`"`) {
				t.Errorf("message to %v lacks %s", m.To, link)
			}
			if !strings.Contains(html, fmt.Sprintf("Session %d &lt;%d&gt;", i, i)) {
				t.Errorf("message to %v: html lacks the escaped title of session %d", m.To, i)
			}
		}
		if m.Msg.Header.Get("Bcc") != "" || strings.Contains(string(m.Raw), "\nBcc:") {
			t.Errorf("injected Bcc header in:\n%s", m.Raw)
		}
		if to, err := m.Msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != m.To[0] {
			t.Errorf("To header = %v (%v), want exactly %s", to, err, m.To[0])
		}
	}
	if text := sms.Messages()[0].Text; !strings.Contains(text, publicURL+"/sessions/") {
		t.Errorf("SMS lacks a session link: %q", text)
	}
	jobs := w.jobs(t)
	if len(jobs[convene.JobSent]) != 3 || len(jobs) != 1 {
		t.Errorf("jobs by status: %v, want 3 sent and nothing else", counts(jobs))
	}
	for _, j := range jobs[convene.JobSent] {
		if j.Recipient == "" || j.Subject == "" || j.Body == "" || j.Channel == "" {
			t.Errorf("sent job %d does not record what was sent: %+v", j.ID, *j)
		}
	}
}

func counts(jobs map[convene.JobStatus][]*convene.Job) map[convene.JobStatus]int {
	out := map[convene.JobStatus]int{}
	for k, v := range jobs {
		out[k] = len(v)
	}
	return out
}

func TestSMTPServerDownDuringBatch(t *testing.T) {
	w := newWorld(t, sqlite.OpenTestDB(t))
	contacts := w.members(t, "p1", "p2", "p3")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // the mail server is down

	wk := startWorker(t, w.Store, notify.Config{
		Email:   newSMTPSender(t, addr, ""),
		Backoff: 30 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, MaxAttempts: 1000,
	})
	w.grant(t, w.sessions(t, 2), contacts...)

	poll.Until(t, 10*time.Second, "three failed attempts, queued again", func() bool {
		queued := w.jobs(t)[convene.JobQueued]
		return len(queued) == 3 && queued[0].Attempts >= 2 && queued[0].LastError != ""
	})
	if q := w.jobs(t)[convene.JobQueued][0]; !strings.Contains(q.LastError, "refused") && !strings.Contains(q.LastError, "dial") {
		t.Errorf("queued job's last error = %q, want the connection failure", q.LastError)
	}

	mail := startMailServer(t, addr) // the server is back
	wantDelivered(t, mail, []*worker{wk}, contacts...)
	if got := counts(w.jobs(t)); got[convene.JobSent] != 3 || len(got) != 1 {
		t.Errorf("jobs by status: %v, want 3 sent", got)
	}
}

// TestRestartBetweenChangeAndSend commits a grant, "crashes" before any
// worker sends (the store is closed), and restarts on the same file.
func TestRestartBetweenChangeAndSend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "convene.db")
	store := openFile(t, path)
	w := newWorld(t, store)
	contacts := w.members(t, "p1", "p2", "p3")
	w.grant(t, w.sessions(t, 3), contacts...)
	if err := store.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	store = openFile(t, path)
	mail := startMailServer(t, "127.0.0.1:0")
	wk := startWorker(t, store, notify.Config{Email: newSMTPSender(t, mail.Addr, "")})
	wantDelivered(t, mail, []*worker{wk}, contacts...)
	wk.stop()
}

// TestRestartAfterClaim "crashes" a worker after it claimed the jobs but
// before it sent them: once their lease ends, the restarted worker sends
// each exactly once.
func TestRestartAfterClaim(t *testing.T) {
	path := filepath.Join(t.TempDir(), "convene.db")
	store := openFile(t, path)
	w := newWorld(t, store)
	contacts := w.members(t, "p1", "p2")
	w.grant(t, w.sessions(t, 2), contacts...)
	claimed, err := store.ClaimJobs(context.Background(), time.Now(), 10, time.Minute)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("ClaimJobs = %d jobs, %v; want 2", len(claimed), err)
	}
	store.Close() // the crash

	store = openFile(t, path)
	clock := &fakeClock{t: time.Now()}
	mail := startMailServer(t, "127.0.0.1:0")
	wk := startWorker(t, store, notify.Config{Email: newSMTPSender(t, mail.Addr, ""), Now: clock.Now})
	settle(t, wk)
	if n := len(mail.Messages()); n != 0 {
		t.Fatalf("%d messages sent while the crashed worker's lease ran, want 0", n)
	}
	clock.Add(2 * time.Minute) // the lease is over
	wantDelivered(t, mail, []*worker{wk}, contacts...)
}

// TestTwoWorkersSendOnce runs two workers on one store: each message still
// goes out once.
func TestTwoWorkersSendOnce(t *testing.T) {
	w := newWorld(t, sqlite.OpenTestDB(t))
	var names []string
	for i := range 8 {
		names = append(names, fmt.Sprintf("p%d", i))
	}
	contacts := w.members(t, names...)
	mail := startMailServer(t, "127.0.0.1:0")
	var workers []*worker
	for range 2 {
		workers = append(workers, startWorker(t, w.Store, notify.Config{Email: newSMTPSender(t, mail.Addr, ""), BatchSize: 2}))
	}
	w.grant(t, w.sessions(t, 1), contacts...)
	wantDelivered(t, mail, workers, contacts...) // p0..p7 sort as they are
}
