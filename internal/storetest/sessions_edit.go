package storetest

import (
	"testing"

	"convene"
)

func testSessionUpdateDelete(t *testing.T, open Opener) {
	f := newFixture(t, open)
	olga := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	carl := f.User(t, "Carl", "carl@acme.test", "", convene.RoleMember)
	s := f.Session(t, olga, "Draft")
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{carl.Email}, Access: convene.AccessCollaborate})

	title, empty, yes := "Final", "", true
	got, err := f.Store.UpdateSession(As(olga), s.ID, convene.SessionUpdate{Title: &title, Archived: &yes})
	if err != nil {
		t.Fatalf("UpdateSession by the owner: %v", err)
	}
	if got.Title != title || !got.Archived {
		t.Errorf("UpdateSession = title %q archived %v, want %q true", got.Title, got.Archived, title)
	}
	_, err = f.Store.UpdateSession(As(olga), s.ID, convene.SessionUpdate{Title: &empty})
	wantCode(t, err, convene.EINVALID)
	_, err = f.Store.UpdateSession(As(carl), s.ID, convene.SessionUpdate{Title: &title})
	wantCode(t, err, convene.EFORBIDDEN)
	wantCode(t, f.Store.DeleteSession(As(carl), s.ID), convene.EFORBIDDEN)
	_, err = f.Store.UpdateSession(As(olga), s.ID+1000, convene.SessionUpdate{Title: &title})
	wantCode(t, err, convene.ENOTFOUND)

	if err := f.Store.DeleteSession(As(olga), s.ID); err != nil {
		t.Fatalf("DeleteSession by the owner: %v", err)
	}
	_, err = f.Store.FindSessionByID(f.Sys(), s.ID)
	wantCode(t, err, convene.ENOTFOUND)
	_, err = f.Store.Members(f.Sys(), s.ID)
	wantCode(t, err, convene.ENOTFOUND)
	wantCode(t, f.Store.DeleteSession(As(olga), s.ID), convene.ENOTFOUND)
	if got := f.findSessions(t, carl, "", 0); len(got) != 0 {
		t.Errorf("after delete, the collaborator still sees %v", got)
	}
}

// testDeletedIDsStayDead checks that the id of a deleted session (and of a
// revoked token) is never given to a new one: an old link, bookmark or
// audit filter must answer "not found", not show someone else's session.
func testDeletedIDsStayDead(t *testing.T, open Opener) {
	f := newFixture(t, open)
	olga := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	old := f.Session(t, olga, "Newest, then deleted")
	if err := f.Store.DeleteSession(As(olga), old.ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if next := f.Session(t, olga, "Created after"); next.ID == old.ID {
		t.Errorf("the new session got the deleted session's id %d", old.ID)
	}
	_, err := f.Store.FindSessionByID(As(olga), old.ID)
	wantCode(t, err, convene.ENOTFOUND)

	tok := &convene.Token{UserID: olga.ID, Name: "a", Hash: "hash-a"}
	if err := f.Store.CreateToken(As(olga), tok); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if err := f.Store.RevokeToken(As(olga), tok.ID); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	again := &convene.Token{UserID: olga.ID, Name: "b", Hash: "hash-b"}
	if err := f.Store.CreateToken(As(olga), again); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if again.ID == tok.ID {
		t.Errorf("the new token got the revoked token's id %d", tok.ID)
	}
}
