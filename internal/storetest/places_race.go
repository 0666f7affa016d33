package storetest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"convene"
)

// testWriteRacesSwitch races a collaborator's message with the owner's
// switch of them to view only, many times: whichever commits first wins.
// The log orders the two: a message that was written has its event before
// the switch's; a refused one none.
func testWriteRacesSwitch(t *testing.T, open Opener) {
	p := newPlace(t, open)
	for round := range 20 {
		head, err := p.Store.LastSessionEvent(p.Sys(), p.s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var postErr, switchErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			postErr = p.Store.PostMessage(As(p.collab), &convene.Message{SessionID: p.s.ID, Body: "racing"})
		}()
		go func() {
			defer wg.Done()
			_, switchErr = p.Store.SetAccess(As(p.owner), p.s.ID, p.collab.ID, convene.AccessView)
		}()
		wg.Wait()
		if switchErr != nil {
			t.Fatalf("round %d: SetAccess: %v", round, switchErr)
		}
		evs, err := p.Store.SessionEventsAfter(p.Sys(), p.s.ID, head, 10)
		if err != nil {
			t.Fatal(err)
		}
		names := eventNames(evs)
		switch convene.ErrorCode(postErr) {
		case "":
			if len(names) != 3 || names[0] != convene.EventMessageCreated {
				t.Fatalf("round %d: the message was written, but the log says %v", round, names)
			}
		case convene.EFORBIDDEN:
			if len(names) != 2 || names[0] != convene.EventMemberChanged {
				t.Fatalf("round %d: the message was refused, but the log says %v", round, names)
			}
		default:
			t.Fatalf("round %d: PostMessage: %v", round, postErr)
		}
		if _, err := p.Store.SetAccess(As(p.owner), p.s.ID, p.collab.ID, convene.AccessCollaborate); err != nil {
			t.Fatal(err)
		}
	}
}

func eventNames(evs []*convene.SessionEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Name
	}
	return out
}

// allMessages reads every page of find, as the viewer, two at a time.
func allMessages(t *testing.T, p *place, find func(context.Context, int64, int, string) ([]*convene.Message, string, error)) string {
	t.Helper()
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		ms, next, err := find(As(p.viewer), p.s.ID, 2, cursor)
		if err != nil || pages > 3 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, m := range ms {
			got = append(got, m.Body)
		}
		if cursor = next; next == "" {
			return strings.Join(got, " ")
		}
	}
}

func testMessagesPaged(t *testing.T, open Opener) {
	p := newPlace(t, open)
	for _, body := range []string{"one", "two", "three", "four", "five"} {
		if err := p.Store.PostMessage(As(p.collab), &convene.Message{SessionID: p.s.ID, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		find func(ctx context.Context, sessionID int64, limit int, cursor string) ([]*convene.Message, string, error)
		want string
	}{
		{p.Store.FindMessages, "one two three four five"},
		{p.Store.FindRecentMessages, "five four three two one"},
	} {
		if got := allMessages(t, p, tt.find); got != tt.want {
			t.Errorf("messages = %q, want %q", got, tt.want)
		}
	}
	ms, _, _ := p.Store.FindMessages(As(p.viewer), p.s.ID, 1, "")
	first := ms[0]
	wantCode(t, p.Store.DeleteMessage(As(p.viewer), p.s.ID, first.ID), convene.EFORBIDDEN)
	wantCode(t, p.Store.DeleteMessage(As(p.guestC), p.s.ID, first.ID), convene.EFORBIDDEN)
	wantCode(t, p.Store.DeleteMessage(As(p.stranger), p.s.ID, first.ID), convene.ENOTFOUND)
	wantCode(t, p.Store.DeleteMessage(As(p.collab), p.s.ID, first.ID), "")
	wantCode(t, p.Store.DeleteMessage(As(p.owner), p.s.ID, ms[0].ID), convene.ENOTFOUND)
	ms, _, _ = p.Store.FindMessages(As(p.viewer), p.s.ID, 1, "")
	wantCode(t, p.Store.DeleteMessage(As(p.owner), p.s.ID, ms[0].ID), "")
	_, _, err := p.Store.FindMessages(As(p.viewer), p.s.ID, 0, "bogus")
	wantCode(t, err, convene.EINVALID)
}
