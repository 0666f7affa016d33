package postgres_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/postgres"
	"convene/internal/sqlstore"
)

type env struct {
	db     *sqlstore.DB
	tenant *convene.Tenant
	admin  *convene.User
}

func setup(t testing.TB) *env {
	t.Helper()
	db := postgres.OpenTestDB(t)
	tenant := &convene.Tenant{Slug: "acme", Name: "Acme", GuestsAllowed: true}
	admin := &convene.User{Name: "Ada", Email: "ada@acme.test"}
	if err := db.CreateTenant(context.Background(), tenant, admin); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}
	return &env{db: db, tenant: tenant, admin: admin}
}

func (e *env) sys() context.Context {
	return convene.NewSystemContext(context.Background(), e.tenant.ID)
}

func as(u *convene.User) context.Context { return convene.NewContextWithUser(context.Background(), u) }

// fill creates n sessions owned by the admin and n members.
func (e *env) fill(t testing.TB, n int) (sessions []int64, contacts []string) {
	t.Helper()
	for i := range n {
		s := &convene.Session{Title: "S" + strconv.Itoa(i)}
		if err := e.db.CreateSession(as(e.admin), s); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		u := &convene.User{Name: "u" + strconv.Itoa(i), Email: fmt.Sprintf("u%d@acme.test", i), Role: convene.RoleMember}
		if err := e.db.CreateUser(e.sys(), u); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		sessions, contacts = append(sessions, s.ID), append(contacts, u.Email)
	}
	return sessions, contacts
}

func TestConcurrentOverlappingGrants(t *testing.T) {
	e := setup(t)
	ss, contacts := e.fill(t, 10)
	var wg sync.WaitGroup
	added, errs := make([]int, 20), make([]error, 20)
	for g := range 20 {
		wg.Go(func() {
			req := convene.GrantRequest{SessionIDs: ss[g%6 : g%6+5], Contacts: contacts[g%3:]}
			b, err := e.db.Grant(as(e.admin), req)
			if err == nil {
				added[g] = b.Counts.Added
			}
			errs[g] = err
		})
	}
	wg.Wait()
	total := 0
	for g := range 20 {
		if errs[g] != nil {
			t.Fatalf("grant %d: %v", g, errs[g])
		}
		total += added[g]
	}
	var rows int
	if err := e.db.ReadDB().QueryRow(`SELECT COUNT(*) FROM memberships WHERE access = 'collaborate'`).Scan(&rows); err != nil {
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
	if total != rows || rows != len(want) {
		t.Fatalf("added %d in all, %d membership rows, want %d", total, rows, len(want))
	}
}

func TestConcurrentSameIdempotencyKey(t *testing.T) {
	e := setup(t)
	ss, contacts := e.fill(t, 3)
	req := convene.GrantRequest{SessionIDs: ss, Contacts: contacts, IdempotencyKey: "same"}
	var wg sync.WaitGroup
	ids, errs := make([]int64, 10), make([]error, 10)
	for g := range 10 {
		wg.Go(func() {
			b, err := e.db.Grant(as(e.admin), req)
			if err == nil {
				ids[g] = b.ID
			}
			errs[g] = err
		})
	}
	wg.Wait()
	for g := range 10 {
		if errs[g] != nil || ids[g] != ids[0] {
			t.Fatalf("grant %d: batch %d (first %d), %v", g, ids[g], ids[0], errs[g])
		}
	}
}

func TestClaimJobsSkipsLocked(t *testing.T) {
	e := setup(t)
	ss, contacts := e.fill(t, 20)
	if _, err := e.db.Grant(as(e.admin), convene.GrantRequest{SessionIDs: ss[:1], Contacts: contacts}); err != nil {
		t.Fatalf("Grant: %v", err)
	}
	now := time.Now()
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			jobs, err := e.db.ClaimJobs(context.Background(), now, 10, time.Minute)
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

// TestBigGrant grants n x n pairs (CONVENE_BIG_GRANT, 100 by default).
func TestBigGrant(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CONVENE_BIG_GRANT"))
	if n == 0 {
		n = 100
	}
	e := setup(t)
	ss, contacts := e.fill(t, n)
	start := time.Now()
	b, err := e.db.Grant(as(e.admin), convene.GrantRequest{SessionIDs: ss, Contacts: contacts})
	if err != nil || b.Counts.Added != n*n {
		t.Fatalf("Grant: %+v %v", b, err)
	}
	t.Logf("%dx%d grant: %v", n, n, time.Since(start))
	start = time.Now()
	b, err = e.db.Grant(as(e.admin), convene.GrantRequest{SessionIDs: ss, Contacts: contacts, Access: convene.AccessView})
	if err != nil || b.Counts.Unchanged != n*n {
		t.Fatalf("second Grant: %+v %v", b.Counts, err)
	}
	t.Logf("%dx%d repeated grant: %v", n, n, time.Since(start))
}
