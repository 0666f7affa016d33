package web_test

import (
	"context"
	"maps"
	"testing"

	"github.com/chromedp/chromedp"

	"convene"
)

// TestBrowserUndoInvite adds people to two sessions with Invite Users, then
// undoes it from the summary with the keyboard: the people the dialog added
// are gone, and Jane, who could view one session before, views it again.
func TestBrowserUndoInvite(t *testing.T) {
	a := newApp(t)
	budget, first := a.sessionIDs["Budget review"], sessionTitles[len(sessionTitles)-1]
	_, err := a.Store.Grant(convene.NewContextWithUser(context.Background(), a.Admin),
		convene.GrantRequest{SessionIDs: []int64{budget}, Contacts: []string{a.jane.Email}, Access: convene.AccessView})
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")

	b.click("checkbox", "Select "+first)
	b.typeInto("searchbox", "Search sessions", "budget")
	waitTitles(b, "Budget review")
	b.click("checkbox", "Select Budget review")
	b.waitFor("2 selected", `document.getElementById("selection-count").textContent === "2 selected"`)
	b.click("button", "Invite User")
	b.waitRole("dialog", "Invite Users")
	b.waitFor("focus in the contacts field", `document.activeElement.id === "invite-contacts"`)
	eval[bool](b, pasteJS("jane@acme.test, sam@acme.test"))
	b.waitFor("two registered chips", `document.querySelectorAll("dialog[open] .chip--registered").length === 2 && !document.querySelector("dialog[open] .chip--pending")`)
	b.click("button", "Add Users")
	b.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	api := a.apiAs("ada@acme.test")
	want := map[string]string{"Budget review/Jane Doe": "collaborate", first + "/Jane Doe": "collaborate", "Budget review/Sam Lee": "collaborate", first + "/Sam Lee": "collaborate"}
	if got := api.grants(a, a.jane, a.sam); !maps.Equal(got, want) {
		t.Fatalf("grants after Add Users = %v, want %v", got, want)
	}

	// Undo, from the keyboard.
	b.waitRole("button", "Undo")
	b.doOnFreshNode("focus Undo", chromedp.Focus("Undo", byRole("button", "Undo"), chromedp.NodeVisible))
	b.key("\r")
	const done = "Undone: 3 removed, 1 set back to view only, 0 kept (changed since)"
	b.waitFor("the undo summary", `document.querySelector("#invite-result .summary-undo")?.textContent === `+jsonList([]string{done})+`[0]`)
	if got := eval[string](b, `document.activeElement.textContent`); got != done {
		t.Errorf("focus after undo is on %q, want the undo summary", got)
	}
	want = map[string]string{"Budget review/Jane Doe": "view"}
	if got := api.grants(a, a.jane, a.sam); !maps.Equal(got, want) {
		t.Errorf("grants after Undo = %v, want %v", got, want)
	}
	b.key("\x1b") // Escape
	b.waitFor("the dialog closed", `!document.getElementById("invite-dialog").open`)
}
