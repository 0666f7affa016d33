package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"convene"
	"convene/internal/poll"
)

// testGrantWhileDisabling disables a user in a transaction that is still
// open when a grant naming them starts, and commits it only once the grant
// is seen waiting for it: the grant must see the user disabled and skip
// them, never add someone who was disabled before the grant was applied.
func testGrantWhileDisabling(t *testing.T, open Opener) {
	f := newFixture(t, open)
	dana := f.User(t, "Dana", "dana@acme.test", "", convene.RoleMember)
	s := f.Session(t, f.Admin, "Planning")

	read, write := databases(t, f.Store)
	ctx := context.Background()
	tx, err := write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE users SET disabled = TRUE WHERE id = %d`, dana.ID)); err != nil {
		t.Fatalf("disable in a raw transaction: %v", err)
	}
	blocked := waitingFor(t, tx, read, write)

	type result struct {
		b   *convene.Batch
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := f.Store.Grant(As(f.Admin), convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{dana.Email}})
		done <- result{b, err}
	}()
	poll.UntilNil(t, 30*time.Second, "the grant to wait for the disabling transaction", blocked)
	select {
	case r := <-done:
		t.Fatalf("the grant finished (%+v) while the disabling transaction was open: there was no race", r)
	default:
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("Grant: %v", r.err)
	}
	if got := r.b.Results[0].Status; got != convene.StatusDisabled {
		t.Errorf("the user disabled during the grant resolved as %q, want %q", got, convene.StatusDisabled)
	}
	if a, ok := f.Access(t, s.ID)[dana.ID]; ok {
		t.Errorf("the disabled user was added with %q", a)
	}
}

// waitingFor returns a check that holds once another transaction waits
// for tx: on PostgreSQL a backend that tx's blocks (pg_blocking_pids, from
// pg_locks); on SQLite a caller waiting for the one writer connection,
// which tx holds.
func waitingFor(t *testing.T, tx *sql.Tx, read, write *sql.DB) func() error {
	t.Helper()
	ctx := context.Background()
	switch name, _ := engine(t, write); name {
	case "postgres":
		var pid int
		if err := tx.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			t.Fatalf("pg_backend_pid: %v", err)
		}
		return func() error {
			var n int
			err := read.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, pid).Scan(&n)
			if err == nil && n == 0 {
				err = fmt.Errorf("no backend is blocked by %d", pid)
			}
			return err
		}
	default:
		waits := write.Stats().WaitCount
		return func() error {
			if now := write.Stats().WaitCount; now == waits {
				return fmt.Errorf("no caller waited for the writer connection (%d waits)", now)
			}
			return nil
		}
	}
}
