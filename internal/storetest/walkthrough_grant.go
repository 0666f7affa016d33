package storetest

import (
	"context"
	"testing"
	"time"

	"convene"
)

// testGrantAndMembers walks through a grant, its replay and upgrade, its
// refusals, its batch, and the member changes that follow it.
func testGrantAndMembers(t *testing.T, open Opener) {
	f := newAcme(t, open)
	olga, carl, vera := f.Member(t, "olga"), f.Member(t, "carl"), f.Member(t, "vera")
	s1, s2 := f.Session(t, olga, "One"), f.Session(t, olga, "Two")
	req := convene.GrantRequest{SessionIDs: []int64{s1.ID, s2.ID, s1.ID}, Contacts: []string{"carl@acme.test", "nobody@acme.test", "CARL@acme.test"}, Access: convene.AccessView, IdempotencyKey: "k1"}
	b, err := f.Store.Grant(As(f.Admin), req)
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	if got, want := b.Counts, (convene.Counts{Added: 2, Skipped: 2}); got != want {
		t.Fatalf("counts %+v, want %+v", got, want)
	}
	again, err := f.Store.Grant(As(f.Admin), req)
	if err != nil || again.ID != b.ID || again.Counts != b.Counts {
		t.Fatalf("replay: %+v %v", again, err)
	}
	req2 := req
	req2.Access = convene.AccessCollaborate
	_, err = f.Store.Grant(As(f.Admin), req2)
	wantCode(t, err, convene.ECONFLICT)
	req2.IdempotencyKey = ""
	up, err := f.Store.Grant(As(f.Admin), req2)
	if err != nil || up.Counts != (convene.Counts{Upgraded: 2, Skipped: 2}) {
		t.Fatalf("upgrade: %+v %v", up, err)
	}
	_, err = f.Store.Grant(As(f.Admin), convene.GrantRequest{SessionIDs: []int64{s1.ID}, Contacts: []string{"carl@acme.test", "garbage"}})
	if ce := convene.AsError(err); ce == nil || ce.Code != convene.EINVALID || len(ce.Entries) != 1 || ce.Entries[0].Index != 1 {
		t.Fatalf("invalid entry: %v", err)
	}
	_, err = f.Store.Grant(As(f.Admin), convene.GrantRequest{SessionIDs: []int64{s1.ID, 99999}, Contacts: []string{"carl@acme.test"}})
	wantCode(t, err, convene.ENOTFOUND)
	_, err = f.Store.Grant(As(olga), convene.GrantRequest{SessionIDs: []int64{s1.ID}, Contacts: []string{"carl@acme.test"}})
	wantCode(t, err, convene.EFORBIDDEN)

	fb, err := f.Store.FindBatch(f.Sys(), b.ID)
	if err != nil || len(fb.Results) != 3 || fb.Results[0].Outcomes[1] != convene.OutcomeAdded {
		t.Fatalf("FindBatch: %+v %v", fb, err)
	}
	_, err = f.Store.FindBatch(As(olga), b.ID)
	wantCode(t, err, convene.ENOTFOUND)
	walkMemberChanges(t, f, b.ID, s1, olga, carl, vera)
}

// walkMemberChanges continues testGrantAndMembers on s1, owned by olga,
// where batchID added carl: access changes, an ownership transfer to vera
// and a removal, and the audit events and jobs the batch left.
func walkMemberChanges(t *testing.T, f *Fixture, batchID int64, s1 *convene.Session, olga, carl, vera *convene.User) {
	t.Helper()
	ms, err := f.Store.Members(As(carl), s1.ID)
	if err != nil || len(ms) != 2 || ms[0].UserID != olga.ID || ms[1].Access != convene.AccessCollaborate {
		t.Fatalf("Members: %v", err)
	}
	_, err = f.Store.SetAccess(As(carl), s1.ID, olga.ID, convene.AccessView)
	wantCode(t, err, convene.EFORBIDDEN)
	_, err = f.Store.SetAccess(As(olga), s1.ID, olga.ID, convene.AccessView)
	wantCode(t, err, convene.ECONFLICT)
	if m, err := f.Store.SetAccess(As(olga), s1.ID, carl.ID, convene.AccessView); err != nil || m.Access != convene.AccessView {
		t.Fatalf("SetAccess: %v", err)
	}
	wantCode(t, f.Store.RemoveMember(As(olga), s1.ID, olga.ID), convene.ECONFLICT)
	if err := f.Store.TransferOwnership(As(olga), s1.ID, vera.ID); err != nil {
		t.Fatalf("TransferOwnership: %v", err)
	}
	ms, _ = f.Store.Members(f.Sys(), s1.ID)
	if ms[0].UserID != vera.ID || ms[0].Access != convene.AccessOwner {
		t.Fatalf("after transfer: first member %d %s", ms[0].UserID, ms[0].Access)
	}
	if err := f.Store.RemoveMember(As(vera), s1.ID, olga.ID); err != nil {
		t.Fatalf("RemoveMember: %v", err)
	}
	events, _, err := f.Store.FindAuditEvents(f.Sys(), convene.AuditFilter{BatchID: batchID})
	if err != nil || len(events) != 2 {
		t.Fatalf("audit for batch: %d events, %v", len(events), err)
	}
	jobs, err := f.Store.FindJobs(f.Sys(), convene.JobFilter{})
	if err != nil || len(jobs) != 2 {
		t.Fatalf("jobs: %d, %v", len(jobs), err)
	}
}

// testAuthAndJobs walks through tokens and login sessions on a fixed clock,
// their end when the user is disabled, and a job's claim, retry and
// completion.
func testAuthAndJobs(t *testing.T, open Opener) {
	f := newAcme(t, open)
	now := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	setClock(t, f.Store, func() time.Time { return now })
	bob := f.Member(t, "bob")
	tok := &convene.Token{Name: "ci", Hash: "h1"}
	if err := f.Store.CreateToken(As(bob), tok); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if u, err := f.Store.AuthenticateToken(context.Background(), "h1"); err != nil || u.ID != bob.ID {
		t.Fatalf("AuthenticateToken: %v", err)
	}
	ls := &convene.LoginSession{Hash: "l1", TenantID: f.Tenant.ID, UserID: bob.ID, ExpiresAt: now.Add(time.Hour)}
	if err := f.Store.CreateLoginSession(context.Background(), ls); err != nil {
		t.Fatalf("CreateLoginSession: %v", err)
	}
	if _, _, err := f.Store.AuthenticateLoginSession(context.Background(), "l1", now.Add(time.Minute), 10*time.Minute); err != nil {
		t.Fatalf("AuthenticateLoginSession: %v", err)
	}
	_, _, err := f.Store.AuthenticateLoginSession(context.Background(), "l1", now.Add(12*time.Minute), 10*time.Minute)
	wantCode(t, err, convene.ENOTFOUND)
	f.Disable(t, bob)
	_, err = f.Store.AuthenticateToken(context.Background(), "h1")
	wantCode(t, err, convene.ENOTFOUND)

	carl := f.Member(t, "carl")
	s := f.Session(t, f.Admin, "S")
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{carl.Email}})
	walkJob(t, f, now, carl)
}

// walkJob continues testAuthAndJobs: the one job of a grant to carl is
// claimed once while leased, retried, claimed again and completed.
func walkJob(t *testing.T, f *Fixture, now time.Time, carl *convene.User) {
	t.Helper()
	jobs, err := f.Store.ClaimJobs(context.Background(), now, 10, time.Minute)
	if err != nil || len(jobs) != 1 || jobs[0].Attempts != 1 || jobs[0].Status != convene.JobRunning {
		t.Fatalf("ClaimJobs: %+v %v", jobs, err)
	}
	if again, _ := f.Store.ClaimJobs(context.Background(), now, 10, time.Minute); len(again) != 0 {
		t.Fatalf("claimed a leased job twice")
	}
	if err := f.Store.RetryJob(context.Background(), jobs[0].ID, "smtp down", now.Add(time.Second)); err != nil {
		t.Fatalf("RetryJob: %v", err)
	}
	jobs, _ = f.Store.ClaimJobs(context.Background(), now.Add(2*time.Second), 10, time.Minute)
	if len(jobs) != 1 || jobs[0].Attempts != 2 {
		t.Fatalf("reclaim: %+v", jobs)
	}
	jobs[0].Channel, jobs[0].Recipient = "email", carl.Email
	if err := f.Store.CompleteJob(context.Background(), jobs[0]); err != nil {
		t.Fatalf("CompleteJob: %v", err)
	}
}
