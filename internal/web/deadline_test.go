package web_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"convene/internal/poll"
	"convene/internal/postgres"
	"convene/internal/sqlstore"
	"convene/internal/web"
)

// past5s is how long the tests below keep a request waiting: beyond huma's
// default body read timeout (5 s), which used to cancel the request's
// context, and beyond the short body deadline they configure.
const past5s = 5*time.Second + 500*time.Millisecond

// shortBody gives the server a short body deadline, so that a request whose
// work outlasts it shows that the deadline ends with the body.
func shortBody(c *web.Config) { c.BodyTimeout = time.Second }

// TestAcceptOutlastsALock: an accept that waits for a lock another
// transaction holds past 5 s (past the body and write deadlines it is
// given) still gets its real answer, on both
// databases: on PostgreSQL the invitation's row, locked FOR UPDATE; on
// SQLite the one writer connection, taken from the store's pool.
func TestAcceptOutlastsALock(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		e := newEnvOn(t, postgres.OpenTestDB(t), unlimited, shortBody, shortWrites)
		acceptPastLock(t, e, func(invID int64) lock { return lockRow(t, e, invID) })
	})
	t.Run("sqlite", func(t *testing.T) {
		e := newEnv(t, unlimited, shortBody, shortWrites)
		acceptPastLock(t, e, func(int64) lock { return holdWriter(t, e) })
	})
}

// lock is held by the test until release; waited reports whether a
// request waits for it.
type lock struct {
	waited  func() bool
	release func()
}

// acceptPastLock accepts a fresh invitation while take's lock is held,
// releases it once more than 5 s have passed, and wants 200.
func acceptPastLock(t *testing.T, e *env, take func(invID int64) lock) {
	_, invID, token := e.invitation()
	l := take(invID)
	start := time.Now()
	answer := make(chan *resp, 1)
	go func() {
		answer <- e.do("anon", "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Late Guest", "password": goodPassword})
	}()
	waitUntil(t, l.waited, answer)
	select {
	case r := <-answer:
		t.Fatalf("the accept answered while the lock was still held, after %s: %s", time.Since(start), r)
	case <-time.After(past5s - time.Since(start)):
		// Not a wait for something to happen: holding the lock past 5 s
		// (beyond huma's default deadline) is what the test is about.
	}
	l.release()
	r := <-answer
	wantStatus(t, r, http.StatusOK, "accept after waiting "+time.Since(start).Round(time.Millisecond).String()+" for a lock")
}

// lockRow locks the invitation's row in a transaction of its own; the
// accept's UPDATE then waits, which pg_locks shows.
func lockRow(t *testing.T, e *env, invID int64) lock {
	db := e.fx.Store.(*sqlstore.DB).WriteDB()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	if _, err := tx.ExecContext(ctx, `SELECT id FROM invitations WHERE id = $1 FOR UPDATE`, invID); err != nil {
		t.Fatal(err)
	}
	waited := func() bool {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE NOT l.granted AND a.datname = current_database()`).Scan(&n); err != nil {
			t.Error(err)
		}
		return n > 0
	}
	return lock{waited: waited, release: func() {
		if err := tx.Commit(); err != nil {
			t.Error(err)
		}
	}}
}

// holdWriter takes SQLite's one writer connection; the accept's
// transaction then waits for it in the pool, which the pool counts.
func holdWriter(t *testing.T, e *env) lock {
	db := e.fx.Store.(*sqlstore.DB).WriteDB()
	before := db.Stats().WaitCount
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return lock{
		waited:  func() bool { return db.Stats().WaitCount > before },
		release: func() { _ = conn.Close() },
	}
}

// waitUntil returns once cond holds, failing t if the request answers
// first.
func waitUntil(t *testing.T, cond func() bool, answer <-chan *resp) {
	t.Helper()
	poll.Until(t, time.Minute, "the request to wait for the lock", func() bool {
		select {
		case r := <-answer:
			t.Fatalf("the request answered before it waited for the lock: %s", r)
		default:
		}
		return cond()
	})
}

// TestSlowBodyIsDropped: a request whose body has not arrived within the
// body deadline has its connection closed, on an API route and on a
// dashboard one, and nothing is applied.
func TestSlowBodyIsDropped(t *testing.T) {
	e := newEnv(t, unlimited, func(c *web.Config) { c.BodyTimeout = 200 * time.Millisecond })
	before := e.snapshot(t)
	for _, head := range []string{
		"POST /api/v1/sessions HTTP/1.1\r\nAuthorization: Bearer " + e.tokens["owner"] + "\r\nContent-Type: application/json\r\n",
		"POST /logout HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n",
	} {
		conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// Half of a 40-byte body, and then nothing.
		if _, err := io.WriteString(conn, head+"Host: convene.test\r\nContent-Length: 40\r\n\r\n{\"title\":\"Never ends"); err != nil {
			t.Fatal(err)
		}
		// Only a guard against hanging the test: the server closes first.
		_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
		if _, err := io.ReadAll(conn); err != nil {
			t.Errorf("%q: the server kept the connection of a slow body open: %v", strings.Fields(head)[1], err)
		}
	}
	e.wantNoWrites(t, before, "a request whose body never arrived")
}
