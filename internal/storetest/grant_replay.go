package storetest

import (
	"slices"
	"sync"
	"testing"

	"convene"
)

func testGrantIdempotency(t *testing.T, open Opener) {
	f := newFixture(t, open)
	people := f.Users(t, "p", 2)
	ss := f.Sessions(t, f.Admin, 2)
	req := convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(people), Access: convene.AccessCollaborate, IdempotencyKey: "key-1"}
	first := f.Grant(t, f.Admin, req)

	t.Run("Replay", func(t *testing.T) {
		before := f.take(t, ids(ss))
		got := f.Grant(t, f.Admin, req)
		if got.ID != first.ID {
			t.Errorf("replay: batch %d, want the first batch %d", got.ID, first.ID)
		}
		if got.Counts != first.Counts {
			t.Errorf("replay: counts %+v, want the first counts %+v", got.Counts, first.Counts)
		}
		f.same(t, before, ids(ss))
	})
	t.Run("OtherBody", func(t *testing.T) {
		before := f.take(t, ids(ss))
		other := req
		other.Access = convene.AccessView
		_, err := f.Store.Grant(As(f.Admin), other)
		wantCode(t, err, convene.ECONFLICT)
		other = req
		other.SessionIDs = ids(ss[:1])
		_, err = f.Store.Grant(As(f.Admin), other)
		wantCode(t, err, convene.ECONFLICT)
		f.same(t, before, ids(ss))
	})
	t.Run("FindBatch", func(t *testing.T) {
		got, err := f.Store.FindBatch(f.Sys(), first.ID)
		if err != nil {
			t.Fatalf("FindBatch(%d): %v", first.ID, err)
		}
		if got.Counts != first.Counts || len(got.Results) != len(first.Results) || got.Pairs() != 4 {
			t.Errorf("FindBatch: counts %+v, %d results, %d pairs; want %+v, %d, 4",
				got.Counts, len(got.Results), got.Pairs(), first.Counts, len(first.Results))
		}
		sum, err := f.Store.FindBatchSummary(f.Sys(), first.ID)
		if err != nil || sum.Counts != first.Counts || !slices.Equal(sum.SessionIDs, first.SessionIDs) || sum.Access != first.Access ||
			sum.ActorID != first.ActorID || sum.Results != nil {
			t.Errorf("FindBatchSummary(%d) = %+v, %v; want the batch's counts, sessions, access and actor, no results", first.ID, sum, err)
		}
		titles, err := f.Store.SessionTitles(As(people[0]), append(ids(ss), ss[1].ID+1000))
		if err != nil || len(titles) != 2 || titles[ss[0].ID] != ss[0].Title || titles[ss[1].ID] != ss[1].Title {
			t.Errorf("SessionTitles(the batch's sessions and an unknown one) as a member = %v, %v; want the two titles", titles, err)
		}
		if titles, err := f.Store.SessionTitles(As(f.Member(t, "outsider")), ids(ss)); err != nil || len(titles) != 0 {
			t.Errorf("SessionTitles as a non-member = %v, %v; want none", titles, err)
		}
	})
}

// testGrantConcurrent runs overlapping grants at once: the same people,
// overlapping sessions, view and collaborate mixed. Every call must succeed,
// every pair must end with one membership, and collaborate wins.
func testGrantConcurrent(t *testing.T, open Opener) {
	const calls, nSessions, window = 20, 6, 3
	f := newFixture(t, open)
	people := f.Users(t, "p", 5)
	ss := f.Sessions(t, f.Admin, nSessions)

	type pair struct{ session, user int64 }
	wantCollab := map[pair]bool{}
	reqs := make([]convene.GrantRequest, calls)
	for i := range reqs {
		access := convene.AccessCollaborate
		if i%3 == 0 {
			access = convene.AccessView
		}
		var sids []int64
		for k := range window {
			sids = append(sids, ss[(i+k)%nSessions].ID)
		}
		contacts := emails(people)
		contacts = append(contacts[i%len(people):], contacts[:i%len(people)]...)
		reqs[i] = convene.GrantRequest{SessionIDs: sids, Contacts: contacts, Access: access}
		for _, sid := range sids {
			for _, p := range people {
				wantCollab[pair{sid, p.ID}] = wantCollab[pair{sid, p.ID}] || access == convene.AccessCollaborate
			}
		}
	}

	batches := make([]*convene.Batch, calls)
	errs := make([]error, calls)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range reqs {
		wg.Go(func() {
			<-start
			batches[i], errs[i] = f.Store.Grant(As(f.Admin), reqs[i])
		})
	}
	close(start)
	wg.Wait()

	var total convene.Counts
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v (code %q)", i, err, convene.ErrorCode(err))
			continue
		}
		total.Added += batches[i].Counts.Added
		total.Upgraded += batches[i].Counts.Upgraded
	}
	for _, s := range ss {
		acc := f.Access(t, s.ID)
		if got, want := len(acc), len(people)+1; got != want {
			t.Errorf("session %d: %d members, want %d", s.ID, got, want)
		}
		for _, p := range people {
			want := convene.AccessView
			if wantCollab[pair{s.ID, p.ID}] {
				want = convene.AccessCollaborate
			}
			if got := acc[p.ID]; got != want {
				t.Errorf("session %d user %d: access %q, want %q", s.ID, p.ID, got, want)
			}
		}
	}
	if t.Failed() {
		return
	}
	if got, want := total.Added, len(wantCollab); got != want {
		t.Errorf("added summed over all calls = %d, want %d: each pair added exactly once", got, want)
	}
	if got := len(f.auditEvents(t, convene.AuditFilter{})); got < total.Added+total.Upgraded {
		t.Errorf("%d audit events, want at least %d (added + upgraded)", got, total.Added+total.Upgraded)
	}
}
