package storetest

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/live"
)

// testAccessEvents checks the live events of the changes of membership and
// access (contract section 13): written in the change's transaction, one
// per session for a batch (never one per pair), and turned for each
// subscriber into its own access event only when its access changed.
func testAccessEvents(t *testing.T, open Opener) {
	t.Run("BatchLogsOneEventPerChangedSession", func(t *testing.T) { testBatchEventsPerSession(t, open) })
	t.Run("SubscribersLearnTheirOwnAccess", func(t *testing.T) { testSubscribersLearnAccess(t, open) })
	t.Run("DisablingEndsAccess", func(t *testing.T) { testDisablingEndsAccess(t, open) })
	t.Run("RequestGrantedOnRegistration", func(t *testing.T) { testRequestGrantEvents(t, open) })
}

// heads returns the latest event id of each session.
func (sc *accessScene) heads(t testing.TB) []int64 {
	t.Helper()
	out := make([]int64, len(sc.sessions))
	for i, s := range sc.sessions {
		id, err := sc.f.Store.LastSessionEvent(sc.f.Sys(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = id
	}
	return out
}

// eventsSince returns the events of session i after head.
func (sc *accessScene) eventsSince(t testing.TB, i int, head int64) []*convene.SessionEvent {
	t.Helper()
	evs, err := sc.f.Store.SessionEventsAfter(sc.f.Sys(), sc.sessions[i].ID, head, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// wantBatchEvent fails t unless evs is exactly the member.changed of batch.
func wantBatchEvent(t testing.TB, evs []*convene.SessionEvent, batch int64) {
	t.Helper()
	if len(evs) != 1 || evs[0].Name != convene.EventMemberChanged || evs[0].BatchOf() != batch || evs[0].UserID != 0 {
		t.Fatalf("events %s, want one member.changed of batch %d", describe(evs), batch)
	}
}

func describe(evs []*convene.SessionEvent) string {
	var parts []string
	for _, e := range evs {
		parts = append(parts, e.Name+" "+string(e.Data))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func testBatchEventsPerSession(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	before := sc.heads(t)
	lowered := sc.change(t, convene.ActionView, sc.carl, sc.vera) // Carl changes in both; Vera views already
	for i := range sc.sessions {
		wantBatchEvent(t, sc.eventsSince(t, i, before[i]), lowered.ID)
	}
	before = sc.heads(t)
	sc.change(t, convene.ActionView, sc.carl) // changes nothing: nothing to tell
	if got := sc.heads(t); got[0] != before[0] || got[1] != before[1] {
		t.Errorf("heads %v after a change of nothing, want %v", got, before)
	}
	granted := sc.f.Grant(t, sc.f.Admin, convene.GrantRequest{SessionIDs: ids(sc.sessions), Contacts: []string{sc.nora.Email, sc.carl.Email}})
	wantBatchEvent(t, sc.eventsSince(t, 0, before[0]), granted.ID)
	before = sc.heads(t)
	if _, err := sc.f.Store.UndoBatch(As(sc.f.Admin), lowered.ID); err != nil {
		t.Fatal(err)
	}
	for i := range sc.sessions {
		wantBatchEvent(t, sc.eventsSince(t, i, before[i]), lowered.ID)
	}
	who := []int64{sc.nora.ID, sc.vera.ID, sc.owner.ID, sc.f.Admin.ID}
	got, err := sc.f.Store.MembersAccess(sc.f.Sys(), sc.sessions[0].ID, who)
	want := map[int64]convene.Access{sc.nora.ID: convene.AccessCollaborate, sc.vera.ID: convene.AccessView, sc.owner.ID: convene.AccessOwner, sc.f.Admin.ID: convene.AccessNone}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("MembersAccess = %v, %v; want %v", got, err, want)
	}
	if got, err := sc.f.Store.MembersAccess(AddTenant(t, sc.f.Store, "other").Sys(), sc.sessions[0].ID, who[:1]); err != nil || got[sc.nora.ID] != convene.AccessNone {
		t.Errorf("MembersAccess from another tenant = %v, %v; want none", got, err)
	}
}

// follower is one subscriber of a session through a live hub that the
// test wakes after each write (the store's notification path is the
// servers'; see internal/live).
type follower struct {
	hub *live.Hub
	sub *live.Subscription
}

func follow(t testing.TB, hub *live.Hub, u *convene.User, sessionID int64) *follower {
	t.Helper()
	sub, err := hub.Subscribe(As(u), sessionID, live.FromNow)
	if err != nil {
		t.Fatalf("Subscribe(%s): %v", u.Name, err)
	}
	t.Cleanup(sub.Close)
	return &follower{hub: hub, sub: sub}
}

// next returns the next n events as "name data", each with its id.
func (fl *follower) next(t testing.TB, n int) ([]string, []int64) {
	t.Helper()
	fl.hub.WakeAll()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []string
	var ids []int64
	for len(got) < n {
		e, err := fl.sub.Next(ctx)
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		got, ids = append(got, e.Name+" "+string(e.Data)), append(ids, e.ID)
	}
	return got, ids
}

// wantNext fails t unless the next events of fl are want ("name data",
// with "member.changed" standing for a batch's); same, when true, requires
// them all to carry one id.
func (fl *follower) wantNext(t testing.TB, same bool, want ...string) {
	t.Helper()
	got, ids := fl.next(t, len(want))
	for i := range want {
		if want[i] == convene.EventMemberChanged {
			got[i], _, _ = strings.Cut(got[i], " ")
		}
	}
	if strings.Join(got, " | ") != strings.Join(want, " | ") || (same && ids[0] != ids[len(ids)-1]) {
		t.Fatalf("events %v (ids %v), want %v", got, ids, want)
	}
}

func testSubscribersLearnAccess(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	hub := live.New(sc.f.Store)
	s := sc.sessions[0]
	carl, vera, admin := follow(t, hub, sc.carl, s.ID), follow(t, hub, sc.vera, s.ID), follow(t, hub, sc.f.Admin, s.ID)
	marker := func() {
		t.Helper()
		if err := sc.f.Store.PostMessage(As(sc.owner), &convene.Message{SessionID: s.ID, Body: "marker"}); err != nil {
			t.Fatal(err)
		}
	}
	const view, collab, none = `access {"access":"view"}`, `access {"access":"collaborate"}`, `access {"access":"none"}`
	msg := func(fl *follower) {
		t.Helper()
		got, _ := fl.next(t, 1)
		if !strings.HasPrefix(got[0], convene.EventMessageCreated) {
			t.Fatalf("got %v, want the marker message (and no access event before it)", got)
		}
	}

	lowered := sc.change(t, convene.ActionView, sc.carl)
	marker()
	carl.wantNext(t, true, convene.EventMemberChanged, view)
	msg(carl)
	vera.wantNext(t, false, convene.EventMemberChanged)
	msg(vera) // not in the batch: no access event
	admin.wantNext(t, false, convene.EventMemberChanged)
	msg(admin)

	if _, err := sc.f.Store.UndoBatch(As(sc.f.Admin), lowered.ID); err != nil {
		t.Fatal(err)
	}
	carl.wantNext(t, true, convene.EventMemberChanged, collab)
	vera.wantNext(t, false, convene.EventMemberChanged)

	sc.change(t, convene.ActionRemove, sc.vera)
	marker()
	vera.wantNext(t, true, convene.EventMemberChanged, none)
	carl.wantNext(t, false, convene.EventMemberChanged)
	msg(carl)

	// A resume from the start reads every batch again, from Carl's access
	// now: it tells him nothing he has not been told.
	head, err := sc.f.Store.LastSessionEvent(sc.f.Sys(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := hub.Subscribe(As(sc.carl), s.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer resumed.Close()
	for {
		got, ids := (&follower{hub: hub, sub: resumed}).next(t, 1)
		if strings.HasPrefix(got[0], convene.EventAccess) {
			t.Errorf("resumed from 0: %v, want no access event", got)
		}
		if ids[0] == head {
			break
		}
	}
}

func testDisablingEndsAccess(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	hub := live.New(sc.f.Store)
	var carl, vera []*follower
	for _, s := range sc.sessions {
		carl, vera = append(carl, follow(t, hub, sc.carl, s.ID)), append(vera, follow(t, hub, sc.vera, s.ID))
	}
	sc.f.Disable(t, sc.carl)
	for i, s := range sc.sessions {
		carl[i].wantNext(t, false, `access {"access":"none"}`)
		if err := sc.f.Store.PostMessage(As(sc.owner), &convene.Message{SessionID: s.ID, Body: "after"}); err != nil {
			t.Fatal(err)
		}
		got, _ := vera[i].next(t, 1)
		if !strings.HasPrefix(got[0], convene.EventMessageCreated) {
			t.Errorf("Vera, in session %d, got %v first; want nothing of Carl's access", i, got)
		}
	}
}

func testRequestGrantEvents(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	before := sc.heads(t)
	sc.f.ask(t, sc.f.Admin, ids(sc.sessions), convene.AccessView, "newcomer@acme.test")
	u := sc.f.User(t, "Newcomer", "newcomer@acme.test", "", convene.RoleMember) // registering grants the request
	for i := range sc.sessions {
		evs := sc.eventsSince(t, i, before[i])
		if len(evs) != 2 || evs[0].Name != convene.EventMemberChanged || evs[1].UserID != u.ID || evs[1].AccessOf() != convene.AccessView {
			t.Fatalf("session %d: events %s, want member.changed and the newcomer's access view", i, describe(evs))
		}
		var d struct {
			User struct{ ID int64 }
		}
		if json.Unmarshal(evs[0].Data, &d); d.User.ID != u.ID {
			t.Errorf("member.changed %s, want the newcomer", evs[0].Data)
		}
	}
}
