package storetest

import (
	"testing"

	"convene"
)

func testSessionUpdateDelete(t *testing.T, open Opener) {
	f := newFixture(t, open)
	olga := f.user(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	carl := f.user(t, "Carl", "carl@acme.test", "", convene.RoleMember)
	s := f.session(t, olga, "Draft")
	f.grant(t, f.admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{carl.Email}, Access: convene.AccessCollaborate})

	title, empty, yes := "Final", "", true
	got, err := f.store.UpdateSession(as(olga), s.ID, convene.SessionUpdate{Title: &title, Archived: &yes})
	if err != nil {
		t.Fatalf("UpdateSession by the owner: %v", err)
	}
	if got.Title != title || !got.Archived {
		t.Errorf("UpdateSession = title %q archived %v, want %q true", got.Title, got.Archived, title)
	}
	_, err = f.store.UpdateSession(as(olga), s.ID, convene.SessionUpdate{Title: &empty})
	wantCode(t, err, convene.EINVALID)
	_, err = f.store.UpdateSession(as(carl), s.ID, convene.SessionUpdate{Title: &title})
	wantCode(t, err, convene.EFORBIDDEN)
	wantCode(t, f.store.DeleteSession(as(carl), s.ID), convene.EFORBIDDEN)
	_, err = f.store.UpdateSession(as(olga), s.ID+1000, convene.SessionUpdate{Title: &title})
	wantCode(t, err, convene.ENOTFOUND)

	if err := f.store.DeleteSession(as(olga), s.ID); err != nil {
		t.Fatalf("DeleteSession by the owner: %v", err)
	}
	_, err = f.store.FindSessionByID(f.sys(), s.ID)
	wantCode(t, err, convene.ENOTFOUND)
	_, err = f.store.Members(f.sys(), s.ID)
	wantCode(t, err, convene.ENOTFOUND)
	wantCode(t, f.store.DeleteSession(as(olga), s.ID), convene.ENOTFOUND)
	if got := f.findSessions(t, carl, "", 0); len(got) != 0 {
		t.Errorf("after delete, the collaborator still sees %v", got)
	}
}
