package storetest

import (
	"slices"
	"testing"

	"convene"
)

// testMembersPage: a session's members page by page, the owner first then
// by name, each once; q narrows them; a bad cursor is EINVALID.
func testMembersPage(t *testing.T, open Opener) {
	f := newFixture(t, open)
	owner := f.Member(t, "zoe")
	s := f.Session(t, owner, "Big")
	people := f.Users(t, "p", 5)
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: emails(people), Access: convene.AccessView})
	var got []int64
	cursor := ""
	for range 10 {
		page, next, err := f.Store.MembersPage(As(f.Admin), s.ID, convene.MemberFilter{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatalf("MembersPage: %v", err)
		}
		for _, m := range page {
			got = append(got, m.UserID)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	want := append([]int64{owner.ID}, userIDs(people)...)
	if !slices.Equal(got, want) {
		t.Errorf("members page by page %v, want %v (owner first, then by name)", got, want)
	}
	found, next, err := f.Store.MembersPage(As(f.Admin), s.ID, convene.MemberFilter{Query: "P3@"})
	if err != nil || next != "" || len(found) != 1 || found[0].UserID != people[3].ID {
		t.Errorf("q=P3@: %d members, next %q, %v; want p3 alone", len(found), next, err)
	}
	_, _, err = f.Store.MembersPage(As(f.Admin), s.ID, convene.MemberFilter{Cursor: "nonsense"})
	wantCode(t, err, convene.EINVALID)
	_, _, err = f.Store.MembersPage(As(f.Member(t, "stranger")), s.ID, convene.MemberFilter{})
	wantCode(t, err, convene.ENOTFOUND)
}

// testUserSessions: a person's sessions with their access, paged, for the
// Tenant Admin alone.
func testUserSessions(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Member(t, "pat")
	ss := f.Sessions(t, f.Admin, 3)
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss[:2]), Contacts: []string{p.Email}, Access: convene.AccessView})
	page, next, err := f.Store.UserSessions(As(f.Admin), p.ID, convene.MemberFilter{Limit: 1})
	if err != nil || len(page) != 1 || next == "" || page[0].Access != convene.AccessView {
		t.Fatalf("first page %+v next %q: %v", page, next, err)
	}
	rest, last, err := f.Store.UserSessions(As(f.Admin), p.ID, convene.MemberFilter{Limit: 1, Cursor: next})
	if err != nil || len(rest) != 1 || last != "" || rest[0].SessionID == page[0].SessionID {
		t.Errorf("second page %+v next %q: %v; want the other session", rest, last, err)
	}
	_, _, err = f.Store.UserSessions(As(f.SessionAdmin(t, "sam")), p.ID, convene.MemberFilter{})
	wantCode(t, err, convene.EFORBIDDEN)
}
