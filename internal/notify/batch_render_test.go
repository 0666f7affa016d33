package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"convene"
	"convene/internal/notify"
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
	w := notify.NewWorker(q.store, notify.Config{Logger: quiet, Email: rec, SMS: rec, Now: q.clock.Now, PublicURL: "https://c.test"})
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
