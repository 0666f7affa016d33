package storetest

import (
	"encoding/json"
	"testing"

	"convene"
)

// snapshot records what a write may leave behind, to check that a rejected
// or replayed call wrote nothing: every row of the database, and, for
// failure messages that speak the domain's language, the members of the
// sessions and the tenant's counts of audit events, jobs and batches.
type snapshot struct {
	Rows    Rows
	Members map[int64]map[int64]convene.Access // session -> user -> access
	Audit   int
	Jobs    int
	Batches int
}

// maxProbedBatch bounds the batch ids probed by snapshot: the store has no
// batch listing, and fixtures make only a handful.
const maxProbedBatch = 64

// take records the current state of the database, of the sessions and of
// the tenant's audit log, jobs and batches.
func (f *Fixture) take(t testing.TB, sessionIDs []int64) snapshot {
	t.Helper()
	s := snapshot{Rows: AllRows(t, f.Store), Members: map[int64]map[int64]convene.Access{}}
	for _, id := range sessionIDs {
		s.Members[id] = f.Access(t, id)
	}
	s.Audit = len(f.auditEvents(t, convene.AuditFilter{}))
	s.Jobs = len(f.Jobs(t))
	for id := int64(1); id <= maxProbedBatch; id++ {
		if _, err := f.Store.FindBatch(f.Sys(), id); err == nil {
			s.Batches++
		} else if code := convene.ErrorCode(err); code != convene.ENOTFOUND {
			t.Fatalf("FindBatch(%d): %v", id, err)
		}
	}
	return s
}

// same fails t if the state changed since before, anywhere in the
// database.
func (f *Fixture) same(t testing.TB, before snapshot, sessionIDs []int64) {
	t.Helper()
	after := f.sameInTenant(t, before, sessionIDs)
	if changes := before.Rows.Changes(after.Rows); changes != "" {
		t.Errorf("the database changed:\n%s", changes)
	}
}

// sameInTenant fails t if the sessions or the tenant's audit log, jobs or
// batches changed since before, and returns the state now: for a test in
// which other tenants write meanwhile.
func (f *Fixture) sameInTenant(t testing.TB, before snapshot, sessionIDs []int64) snapshot {
	t.Helper()
	after := f.take(t, sessionIDs)
	for _, id := range sessionIDs {
		if got, want := len(after.Members[id]), len(before.Members[id]); got != want {
			t.Errorf("session %d: %d members, want %d as before", id, got, want)
		}
		for u, want := range before.Members[id] {
			if got := after.Members[id][u]; got != want {
				t.Errorf("session %d, user %d: access %q, want %q as before", id, u, got, want)
			}
		}
	}
	if after.Audit != before.Audit {
		t.Errorf("%d audit events, want %d as before", after.Audit, before.Audit)
	}
	if after.Jobs != before.Jobs {
		t.Errorf("%d jobs, want %d as before", after.Jobs, before.Jobs)
	}
	if after.Batches != before.Batches {
		t.Errorf("%d batches, want %d as before", after.Batches, before.Batches)
	}
	return after
}

// auditEvents reads every audit event matching filter, page by page.
func (f *Fixture) auditEvents(t testing.TB, filter convene.AuditFilter) []*convene.AuditEvent {
	t.Helper()
	var all []*convene.AuditEvent
	filter.Limit = 500
	for range 1000 {
		page, next, err := f.Store.FindAuditEvents(f.Sys(), filter)
		if err != nil {
			t.Fatalf("FindAuditEvents(%+v): %v", filter, err)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		filter.Cursor = next
	}
	t.Fatalf("FindAuditEvents(%+v): cursor never ends", filter)
	return nil
}

// Jobs lists the tenant's jobs, the first 100 by id.
func (f *Fixture) Jobs(t testing.TB) []*convene.Job {
	t.Helper()
	jobs, err := f.Store.FindJobs(f.Sys(), convene.JobFilter{Limit: 100})
	if err != nil {
		t.Fatalf("FindJobs: %v", err)
	}
	return jobs
}

// notifyPayload is the payload of a JobNotifyBatch job.
type notifyPayload struct {
	BatchID int64 `json:"batch_id"`
	UserID  int64 `json:"user_id"`
}

// notified returns, for batch, how many notify jobs each user has.
func (f *Fixture) notified(t testing.TB, batchID int64) map[int64]int {
	t.Helper()
	got := map[int64]int{}
	for _, j := range f.Jobs(t) {
		if j.Kind != convene.JobNotifyBatch {
			continue
		}
		var p notifyPayload
		if err := json.Unmarshal(j.Payload, &p); err != nil {
			t.Fatalf("job %d: payload %q: %v", j.ID, j.Payload, err)
		}
		if p.BatchID == batchID {
			got[p.UserID]++
		}
	}
	return got
}
