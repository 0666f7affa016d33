package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"convene"
)

// testGrantWhileDisabling disables a user in a transaction that is still
// open when a grant naming them starts, and commits it while the grant
// runs: the grant must see the user disabled and skip them, never add
// someone who was disabled before the grant was applied.
func testGrantWhileDisabling(t *testing.T, open Opener) {
	f := newFixture(t, open)
	dana := f.User(t, "Dana", "dana@acme.test", "", convene.RoleMember)
	s := f.Session(t, f.Admin, "Planning")

	_, write := databases(t, f.Store)
	ctx := context.Background()
	tx, err := write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE users SET disabled = TRUE WHERE id = %d`, dana.ID)); err != nil {
		t.Fatalf("disable in a raw transaction: %v", err)
	}

	type result struct {
		b   *convene.Batch
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := f.Store.Grant(As(f.Admin), convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{dana.Email}})
		done <- result{b, err}
	}()
	time.Sleep(200 * time.Millisecond) // let the grant reach the disabled row
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
