package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"convene"
	"convene/internal/notify"
	"convene/internal/sqlite"
)

// A job queued by an earlier version carries no outcomes: the worker reads
// them from the stored batch and sends the same message.
func TestWorkerRendersBatchJobWithoutOutcomes(t *testing.T) {
	q := newQueued(t, "bob@acme.test", "")
	if p := q.job(t, q.jobID).Payload; !strings.Contains(string(p), `"outcomes":"a"`) {
		t.Fatalf("the grant queued payload %s, want Bob's outcome in it", p)
	}
	if _, err := q.db.WriteDB().ExecContext(context.Background(), `UPDATE jobs SET payload = ? WHERE id = ?`,
		[]byte(fmt.Sprintf(`{"batch_id":%d,"user_id":%d}`, q.batch.ID, q.bob.ID)), q.jobID); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	w := notify.NewWorker(q.Store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: q.clock.Now, PublicURL: "https://c.test"})
	if n, err := w.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v; want 1 job", n, err)
	}
	link := fmt.Sprintf("https://c.test/sessions/%d", q.session)
	if msgs := rec.Messages(); len(msgs) != 1 || !strings.Contains(msgs[0].Text, link) {
		t.Errorf("sent %+v, want one message linking %s", msgs, link)
	}
	if j := q.job(t, q.jobID); j.Status != convene.JobSent {
		t.Errorf("job = %+v, want sent", j)
	}
}

// Sessions deleted since the batch are left out of the message, and the
// next ones take their place: an SMS lists five.
func TestBatchMessageSkipsDeletedSessions(t *testing.T) {
	w := newWorld(t, sqlite.OpenTestDB(t))
	w.User(t, "Dee", "", "+13245768342", convene.RoleMember)
	ss := w.sessions(t, 8)
	w.grant(t, ss, "+1 324 576 8342")
	for _, id := range []int64{ss[1], ss[3]} {
		if err := w.Store.DeleteSession(convene.NewContextWithUser(context.Background(), w.Admin), id); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
	}
	rec := &recorder{}
	if _, err := notify.NewWorker(w.Store, notify.Config{Logger: quiet, Email: rec, SMS: rec, PublicURL: publicURL}).RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	msgs := rec.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages sent, want 1", len(msgs))
	}
	for i, id := range ss {
		link := fmt.Sprintf("%s/sessions/%d\n", publicURL, id)
		listed := i != 1 && i != 3 && i < 7
		if strings.Contains(msgs[0].Text+"\n", link) != listed {
			t.Errorf("session %d listed: %v, want %v:\n%s", i, !listed, listed, msgs[0].Text)
		}
	}
	if !strings.Contains(msgs[0].Text, "+1 more") {
		t.Errorf("the SMS does not count the one session it leaves out:\n%s", msgs[0].Text)
	}
}
