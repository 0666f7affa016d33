package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"convene"
)

func testJobs(t *testing.T, open Opener) {
	t.Run("Lifecycle", func(t *testing.T) { testJobLifecycle(t, open) })
	t.Run("ConcurrentClaims", func(t *testing.T) { testConcurrentClaims(t, open) })
}

// claim calls ClaimJobs and fails t unless it leases want jobs.
func (f *Fixture) claim(t testing.TB, now time.Time, limit, want int) []*convene.Job {
	t.Helper()
	jobs, err := f.Store.ClaimJobs(context.Background(), now, limit, 5*time.Minute)
	if err != nil {
		t.Fatalf("ClaimJobs(%v, %d): %v", now, limit, err)
	}
	if len(jobs) != want {
		t.Fatalf("ClaimJobs(%v, %d) leased %d jobs, want %d", now, limit, len(jobs), want)
	}
	return jobs
}

// job returns the tenant's job id as FindJobs lists it.
func (f *Fixture) job(t testing.TB, id int64) *convene.Job {
	t.Helper()
	for _, j := range f.Jobs(t) {
		if j.ID == id {
			return j
		}
	}
	t.Fatalf("job %d not listed by FindJobs", id)
	return nil
}

func testJobLifecycle(t *testing.T, open Opener) {
	f := newFixture(t, open)
	people := f.Users(t, "p", 2)
	ss := f.Sessions(t, f.Admin, 1)
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(people), Access: convene.AccessView})
	now := time.Now().Add(time.Minute)
	bg := context.Background()

	leased := f.claim(t, now, 10, 2)
	for _, j := range leased {
		if j.Status != convene.JobRunning || j.Attempts != 1 || j.Kind != convene.JobNotifyBatch {
			t.Errorf("claimed job %+v: want running, attempt 1, %s", *j, convene.JobNotifyBatch)
		}
	}
	f.claim(t, now.Add(time.Minute), 10, 0) // still leased
	first := f.claim(t, now.Add(6*time.Minute), 1, 1)[0]
	if first.Attempts != 2 {
		t.Errorf("reclaimed job: attempts %d, want 2", first.Attempts)
	}
	first.Channel, first.Recipient, first.Subject, first.Body = "email", "p0@acme.test", "Welcome", "You were added"
	if err := f.Store.CompleteJob(bg, first); err != nil {
		t.Fatalf("CompleteJob: %v", err)
	}
	if got := f.job(t, first.ID); got.Status != convene.JobSent || got.Recipient != "p0@acme.test" || got.Body != "You were added" {
		t.Errorf("completed job = %+v, want sent with its recipient and body", *got)
	}

	second := f.claim(t, now.Add(6*time.Minute), 10, 1)[0]
	if err := f.Store.RetryJob(bg, second.ID, "smtp down", now.Add(20*time.Minute)); err != nil {
		t.Fatalf("RetryJob: %v", err)
	}
	if got := f.job(t, second.ID); got.Status != convene.JobQueued || got.LastError != "smtp down" {
		t.Errorf("retried job = %+v, want queued with its error", *got)
	}
	f.claim(t, now.Add(10*time.Minute), 10, 0) // not due yet
	if got := f.claim(t, now.Add(21*time.Minute), 10, 1)[0]; got.ID != second.ID || got.Attempts != 3 {
		t.Errorf("claimed retried job %d attempt %d, want %d attempt 3", got.ID, got.Attempts, second.ID)
	}
	if err := f.Store.RetryJob(bg, second.ID, "smtp down again", time.Time{}); err != nil {
		t.Fatalf("RetryJob(final): %v", err)
	}
	if got := f.job(t, second.ID); got.Status != convene.JobFailed || got.LastError != "smtp down again" {
		t.Errorf("given-up job = %+v, want failed with its last error", *got)
	}
	f.claim(t, now.Add(2*time.Hour), 10, 0) // sent and failed jobs stay put

	for _, status := range []convene.JobStatus{convene.JobSent, convene.JobFailed} {
		jobs, err := f.Store.FindJobs(f.Sys(), convene.JobFilter{Status: status})
		if err != nil || len(jobs) != 1 || jobs[0].Status != status {
			t.Errorf("FindJobs(%s) = %d jobs, %v; want 1", status, len(jobs), err)
		}
	}
	_, err := f.Store.FindJobs(As(people[0]), convene.JobFilter{})
	wantCode(t, err, convene.EFORBIDDEN)
}

// testConcurrentClaims checks that workers claiming at once never lease the
// same job twice.
func testConcurrentClaims(t *testing.T, open Opener) {
	const workers = 4
	f := newFixture(t, open)
	people := f.Users(t, "p", 12)
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(f.Sessions(t, f.Admin, 1)), Contacts: emails(people), Access: convene.AccessView})
	now := time.Now().Add(time.Minute)

	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				jobs, err := f.Store.ClaimJobs(context.Background(), now, 3, time.Hour)
				if err != nil {
					t.Errorf("ClaimJobs: %v", err)
					return
				}
				if len(jobs) == 0 {
					return
				}
				mu.Lock()
				for _, j := range jobs {
					claimed[j.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if got, want := len(claimed), len(people); got != want {
		t.Errorf("%d distinct jobs claimed, want %d", got, want)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("job %d claimed %d times, want once", id, n)
		}
	}
}
