package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/notify"
	"convene/internal/poll"
	"convene/internal/sqlite"
)

// TestUndoneBatchSendsNothing checks that a multi-invite undone before its
// messages went out announces nothing: its jobs fail with the reason.
func TestUndoneBatchSendsNothing(t *testing.T) {
	w := newWorld(t, sqlite.OpenTestDB(t))
	emails := w.members(t, "bea", "cy")
	b := w.grant(t, w.sessions(t, 2), emails...)
	if _, err := w.Store.UndoBatch(convene.NewContextWithUser(context.Background(), w.Admin), b.ID); err != nil {
		t.Fatalf("UndoBatch: %v", err)
	}

	mail := startMailServer(t, "127.0.0.1:0")
	wk := startWorker(t, w.Store, notify.Config{Email: newSMTPSender(t, mail.Addr, ""), SMS: &recorder{}})
	poll.Until(t, 10*time.Second, "both jobs to fail", func() bool { return len(w.jobs(t)[convene.JobFailed]) == 2 })
	settle(t, wk)

	if got := mail.Messages(); len(got) != 0 {
		t.Errorf("%d messages sent for an undone batch, want none", len(got))
	}
	for _, j := range w.jobs(t)[convene.JobFailed] {
		if !strings.Contains(j.LastError, "undone") {
			t.Errorf("job %d failed with %q, want a reason naming the undo", j.ID, j.LastError)
		}
	}
}
