package web_test

import (
	"context"
	"fmt"
	"testing"

	"convene"
)

// TestBrowserMemberSearch: a session of 30 members shows them a page of
// 25 at a time with "Search members"; the search finds one by name.
// Phil's number is shown as people write it. The Users page then opens
// Jane's sessions with her access.
func TestBrowserMemberSearch(t *testing.T) {
	a := newApp(t)
	budget := a.sessionIDs["Budget review"]
	contacts := []string{a.jane.Email, a.phil.Phone, a.sam.Email}
	for i := 1; len(contacts) < 30; i++ {
		contacts = append(contacts, a.user(fmt.Sprintf("Member %02d", i), fmt.Sprintf("m%02d@acme.test", i), "", convene.RoleMember).Email)
	}
	ctx := convene.NewContextWithUser(context.Background(), a.Admin)
	if _, err := a.Store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{budget}, Contacts: contacts, Access: convene.AccessView}); err != nil {
		t.Fatalf("Grant: %v", err)
	}
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.navigate(fmt.Sprintf("%s/sessions/%d", a.srv.URL, budget))
	b.waitRole("searchbox", "Search members")
	b.waitFor("a page of 25", `document.querySelectorAll("#members-list li.member").length === 25 && !document.getElementById("next-page").disabled`)
	b.click("button", "Next page")
	b.waitFor("the rest", `document.querySelectorAll("#members-list li.member").length === 6 && document.getElementById("page-label").textContent === "Page 2"`)
	b.typeInto("searchbox", "Search members", "phil")
	b.waitFor("only Phil", `Array.from(document.querySelectorAll("#members-list .person-name")).map(e => e.textContent).join() === "Phil Ortiz"`)
	if got := eval[string](b, `document.querySelector("#members-list .person-sub").textContent`); got != "+1 212-555-0100" {
		t.Errorf("Phil's number shows as %q, want +1 212-555-0100", got)
	}
	checkAccessible(t, b.ctx, "session-members-search")

	b.navigate(a.srv.URL + "/users")
	b.click("button", "Sessions of Jane Doe")
	b.waitRole("dialog", "Sessions of Jane Doe")
	b.waitFor("Jane's session", `Array.from(document.querySelectorAll("#user-sessions-list li")).map(li => li.textContent).join() === "Budget reviewView only"`)
	checkAccessible(t, b.ctx, "user-sessions")
}
