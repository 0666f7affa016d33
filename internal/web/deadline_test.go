package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"testing"
	"time"

	"convene/internal/postgres"
	"convene/internal/web"
)

// past5s is how long the tests below keep a request waiting: beyond huma's
// default body read timeout (5 s), which used to cancel the request's
// context, and beyond the short body deadline they configure.
const past5s = 5*time.Second + 500*time.Millisecond

// shortBody gives the server a short body deadline, so that a request whose
// work outlasts it shows that the deadline ends with the body.
func shortBody(c *web.Config) { c.BodyTimeout = time.Second }

// TestAcceptOutlastsALock: an accept that waits on the invitation's row,
// locked by another transaction past 5 s, still gets its real answer.
func TestAcceptOutlastsALock(t *testing.T) {
	e := newEnvOn(t, postgres.OpenTestDB(t), unlimited, shortBody)
	_, invID, token := e.invitation()
	db := e.store.(interface{ WriteDB() *sql.DB }).WriteDB()

	ctx := context.Background()
	locker, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Rollback()
	if _, err := locker.ExecContext(ctx, `SELECT id FROM invitations WHERE id = $1 FOR UPDATE`, invID); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	answer := make(chan *resp, 1)
	go func() {
		answer <- e.do("anon", "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Late Guest", "password": goodPassword})
	}()
	waitForLockWaiter(t, db, answer)
	select {
	case r := <-answer:
		t.Fatalf("the accept answered while the row was still locked, after %s: %s", time.Since(start), r)
	case <-time.After(past5s - time.Since(start)):
	}
	if err := locker.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-answer
	wantStatus(t, r, http.StatusOK, "accept after waiting "+time.Since(start).Round(time.Millisecond).String()+" on a row lock")
}

// waitForLockWaiter returns once a backend of db waits for a lock (the
// request reached its UPDATE), failing t if the request answers first.
func waitForLockWaiter(t *testing.T, db *sql.DB, answer <-chan *resp) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE NOT l.granted AND a.datname = current_database()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		select {
		case r := <-answer:
			t.Fatalf("the request answered before it waited on the lock: %s", r)
		case <-tick.C:
		}
	}
}
