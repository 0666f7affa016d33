package storetest

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"convene"
)

// runGrants runs calls grants at once as the admin, the request of call g
// being req(g), and fails t unless all succeed. It returns the pairs each
// call added.
func (f *Fixture) runGrants(t *testing.T, calls int, req func(g int) convene.GrantRequest) (added []int) {
	t.Helper()
	var wg sync.WaitGroup
	added, errs := make([]int, calls), make([]error, calls)
	for g := range calls {
		wg.Go(func() {
			b, err := f.Store.Grant(As(f.Admin), req(g))
			if err == nil {
				added[g] = b.Counts.Added
			}
			errs[g] = err
		})
	}
	wg.Wait()
	for g, err := range errs {
		if err != nil {
			t.Fatalf("grant %d: %v", g, err)
		}
	}
	return added
}

func sum(ns []int) int {
	total := 0
	for _, n := range ns {
		total += n
	}
	return total
}

// testConcurrentGrants runs 20 grants at once over sliding windows of 5 of
// 10 sessions: every pair must be added by exactly one of them.
func testConcurrentGrants(t *testing.T, open Opener) {
	f := newAcme(t, open)
	ss, contacts := f.fill(t, 10)
	added := f.runGrants(t, 20, func(g int) convene.GrantRequest {
		return convene.GrantRequest{SessionIDs: ss[g%5 : g%5+5], Contacts: contacts}
	})
	if total := sum(added); total != 90 { // sessions 0-8 x 10 users
		t.Fatalf("%d pairs added in all, want 90", total)
	}
}

// testConcurrentOverlappingGrants runs 20 grants at once whose sessions and
// contacts overlap: the pairs added in all must match the membership rows
// in the database, one for every pair some grant asked for.
func testConcurrentOverlappingGrants(t *testing.T, open Opener) {
	f := newAcme(t, open)
	ss, contacts := f.fill(t, 10)
	added := f.runGrants(t, 20, func(g int) convene.GrantRequest {
		return convene.GrantRequest{SessionIDs: ss[g%6 : g%6+5], Contacts: contacts[g%3:]}
	})
	var rows int
	read, _ := databases(t, f.Store)
	if err := read.QueryRow(`SELECT COUNT(*) FROM memberships WHERE access = 'collaborate'`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	want := map[[2]int]bool{}
	for g := range 20 {
		for s := g % 6; s < g%6+5; s++ {
			for u := g % 3; u < 10; u++ {
				want[[2]int{s, u}] = true
			}
		}
	}
	if total := sum(added); total != rows || rows != len(want) {
		t.Fatalf("added %d in all, %d membership rows, want %d", total, rows, len(want))
	}
}

// testConcurrentSameIdempotencyKey runs one grant ten times at once with the
// same key: all must answer with the same batch.
func testConcurrentSameIdempotencyKey(t *testing.T, open Opener) {
	f := newAcme(t, open)
	ss, contacts := f.fill(t, 3)
	req := convene.GrantRequest{SessionIDs: ss, Contacts: contacts, IdempotencyKey: "same"}
	var wg sync.WaitGroup
	batchIDs, errs := make([]int64, 10), make([]error, 10)
	for g := range 10 {
		wg.Go(func() {
			b, err := f.Store.Grant(As(f.Admin), req)
			if err == nil {
				batchIDs[g] = b.ID
			}
			errs[g] = err
		})
	}
	wg.Wait()
	for g := range 10 {
		if errs[g] != nil || batchIDs[g] != batchIDs[0] {
			t.Fatalf("grant %d: batch %d (first %d), %v", g, batchIDs[g], batchIDs[0], errs[g])
		}
	}
}

// testClaimJobsSkipsLocked has four workers claim 20 jobs at once, ten at
// most each: every job must be claimed, and none twice.
func testClaimJobsSkipsLocked(t *testing.T, open Opener) {
	f := newAcme(t, open)
	ss, contacts := f.fill(t, 20)
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ss[:1], Contacts: contacts})
	now := time.Now()
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			jobs, err := f.Store.ClaimJobs(context.Background(), now, 10, time.Minute)
			if err != nil {
				t.Errorf("ClaimJobs: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, j := range jobs {
				seen[j.ID]++
			}
		})
	}
	wg.Wait()
	if len(seen) != 20 {
		t.Fatalf("%d jobs claimed, want 20", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("job %d claimed %d times", id, n)
		}
	}
}

// testBigGrant grants n contacts x n sessions (CONVENE_BIG_GRANT, 100 by
// default; 1000 takes a while), then repeats it at the default access and
// at view: neither repeat may change a pair.
func testBigGrant(t *testing.T, open Opener) {
	n, _ := strconv.Atoi(os.Getenv("CONVENE_BIG_GRANT"))
	if n == 0 {
		n = 100
	}
	f := newAcme(t, open)
	ss, contacts := f.fill(t, n)
	start := time.Now()
	b, err := f.Store.Grant(As(f.Admin), convene.GrantRequest{SessionIDs: ss, Contacts: contacts})
	if err != nil || b.Counts.Added != n*n {
		t.Fatalf("Grant: %+v %v", b, err)
	}
	t.Logf("%dx%d grant: %v", n, n, time.Since(start))
	for _, access := range []convene.Access{"", convene.AccessView} {
		start = time.Now()
		b, err = f.Store.Grant(As(f.Admin), convene.GrantRequest{SessionIDs: ss, Contacts: contacts, Access: access})
		if err != nil || b.Counts.Unchanged != n*n {
			t.Fatalf("repeated Grant (access %q): %+v %v", access, b, err)
		}
		t.Logf("%dx%d repeated grant (access %q): %v", n, n, access, time.Since(start))
	}
}
