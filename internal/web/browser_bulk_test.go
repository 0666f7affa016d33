package web_test

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"convene"
	"convene/internal/storetest"
)

// quarterlyCount sessions match "quarterly": more than a page of 25.
const quarterlyCount = 40

// addQuarterly creates quarterlyCount sessions titled "Quarterly sync #n"
// and returns their ids.
func addQuarterly(a *app) []int64 {
	a.t.Helper()
	ids := make([]int64, 0, quarterlyCount)
	for i := 1; i <= quarterlyCount; i++ {
		s := &convene.Session{Title: fmt.Sprintf("Quarterly sync #%d", i)}
		if err := a.Store.CreateSession(storetest.As(a.Admin), s); err != nil {
			a.t.Fatalf("CreateSession: %v", err)
		}
		a.sessionIDs[s.Title] = s.ID
		ids = append(ids, s.ID)
	}
	return ids
}

// selectAllQuarterly searches "quarterly" and selects all its matches.
func selectAllQuarterly(b *browser) {
	b.t.Helper()
	b.typeInto("searchbox", "Search sessions", "quarterly")
	b.waitFor("page 1 of 2", `document.getElementById("page-label").textContent === "Page 1 of 2"`)
	b.click("button", fmt.Sprintf("Select all %d matching", quarterlyCount))
	b.waitFor("the query selected", fmt.Sprintf(`document.getElementById("selection-count").textContent === "%d selected"`, quarterlyCount))
}

// quarterlyGrants is access for user in every quarterly session.
func quarterlyGrants(access string, users ...*convene.User) map[string]string {
	want := map[string]string{}
	for i := 1; i <= quarterlyCount; i++ {
		for _, u := range users {
			want[fmt.Sprintf("Quarterly sync #%d/%s", i, u.Name)] = access
		}
	}
	return want
}

// TestBrowserSelectAllMatchingInvite: "Select all 40 matching" selects the
// search, the dialog lists its sessions in a list reviewed by keyboard, and
// Add Users sends it as session_query: Jane gets all 40, nothing else.
func TestBrowserSelectAllMatchingInvite(t *testing.T) {
	a := newApp(t)
	addQuarterly(a)
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	selectAllQuarterly(b)
	if n := eval[int](b, `document.querySelectorAll("#session-rows input:checked").length`); n != 25 {
		t.Errorf("%d rows ticked on the page, want 25", n)
	}
	checkAccessible(t, b.ctx, "sessions-select-matching")

	b.click("button", "Invite User")
	b.waitRole("dialog", "Invite Users")
	b.waitFor("40 sessions listed", `document.getElementById("invite-targets-count").textContent === "40 sessions"`)
	eval[bool](b, `(document.getElementById("invite-targets").focus(), document.activeElement.id === "invite-targets")`)
	b.key(kb.PageDown) // scrolls the focused list
	b.waitFor("the list scrolled", `document.getElementById("invite-targets").scrollTop > 0`)
	checkAccessible(t, b.ctx, "invite-users-query")
	eval[bool](b, `(document.getElementById("invite-contacts").focus(), true)`)
	eval[bool](b, pasteJS("jane@acme.test"))
	b.waitFor("one registered chip", `document.querySelectorAll("dialog[open] .chip--registered").length === 1 && !document.querySelector("dialog[open] .chip--pending")`)
	b.click("button", "Add Users")
	b.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	if got, want := a.apiAs("ada@acme.test").grants(a, a.jane), quarterlyGrants("collaborate", a.jane); !maps.Equal(got, want) {
		t.Fatalf("grants = %v, want %v", got, want)
	}
}

// TestBrowserChangeAccess lowers three collaborators to View only across
// 40 sessions with Change access, while Jane has one of them open: her page
// says View only without reload. The batch is undone from Activity, and
// her page gives her the writing controls back: everyone collaborates again.
func TestBrowserChangeAccess(t *testing.T) {
	a := newApp(t)
	ids := addQuarterly(a)
	people := []*convene.User{a.jane, a.phil, a.sam}
	_, err := a.Store.Grant(convene.NewContextWithUser(context.Background(), a.Admin),
		convene.GrantRequest{SessionIDs: ids, Contacts: []string{a.jane.Email, a.phil.Phone, a.sam.Email}, Access: convene.AccessCollaborate})
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	b := newBrowser(t, 1280, 900)
	jane := b.otherPerson(1280, 900)
	signIn(jane, a, "jane@acme.test")
	jane.navigate(fmt.Sprintf("%s/sessions/%d", a.srv.URL, ids[0]))
	jane.waitFor("Jane may write", `!document.getElementById("note-add").hidden && !`+liveStatus+`.includes("View only")`)
	signIn(b, a, "ada@acme.test")
	selectAllQuarterly(b)
	b.click("button", "Change access")
	b.waitRole("dialog", "Change access")
	b.waitFor("focus in the contacts field", `document.activeElement.id === "change-contacts"`)
	eval[bool](b, pasteJS("jane@acme.test, +1 212-555-0100, sam@acme.test"))
	b.waitFor("three registered chips", `document.querySelectorAll("dialog[open] .chip--registered").length === 3 && !document.querySelector("dialog[open] .chip--pending")`)
	b.waitFor("40 sessions listed", `document.getElementById("change-targets-count").textContent === "40 sessions"`)
	checkAccessible(t, b.ctx, "change-access")
	b.click("radio", "View only")
	b.click("button", "Apply")
	b.waitFor("the summary", `!document.getElementById("change-result").hidden`)
	if got := eval[string](b, `document.querySelector("#change-result .summary-counts strong").textContent`); got != "120" {
		t.Errorf("changed = %s, want 120", got)
	}
	api := a.apiAs("ada@acme.test")
	if got, want := api.grants(a, people...), quarterlyGrants("view", people...); !maps.Equal(got, want) {
		t.Fatalf("grants after Apply = %v, want %v", got, want)
	}

	// Jane's open page learns it from its event stream, without reload.
	jane.waitFor("Jane's page says View only", liveStatus+`.includes("View only") && document.getElementById("note-add").hidden`)
	checkAccessible(t, jane.ctx, "session-view-only-live")

	batchID := eval[string](b, `document.querySelector("#change-result .summary-undo").dataset.batchId`)
	var batch struct {
		Kind string `json:"kind"`
	}
	api.call("GET", "/api/v1/invitations/batches/"+batchID, nil, &batch)
	if batch.Kind != "access" {
		t.Errorf("batch %s is of kind %q, want access", batchID, batch.Kind)
	}
	openBatch(b, a, batchID)
	if got, want := undoFromPage(b), "Undone: 120 restored to the access they had before, 0 kept because they changed since."; got != want {
		t.Errorf("after Undo the page says %q, want %q", got, want)
	}
	if got, want := api.grants(a, people...), quarterlyGrants("collaborate", people...); !maps.Equal(got, want) {
		t.Fatalf("grants after undo = %v, want %v", got, want)
	}
	jane.waitFor("Jane may write again", `!document.getElementById("note-add").hidden && !`+liveStatus+`.includes("View only")`)
}

// TestBrowserCompactSelection: a page of 25 ticked is a count and a list
// with its own search, not a wall of pills; the search narrows the list.
func TestBrowserCompactSelection(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.click("checkbox", "Select all on this page")
	b.waitFor("25 selected", `document.getElementById("selection-count").textContent === "25 selected"`)
	b.doOnFreshNode("open the selection", chromedp.Click(chromedp.CSS("#selection-bar summary")))
	b.waitRole("searchbox", "Search selected sessions")
	b.typeInto("searchbox", "Search selected sessions", "retro")
	b.waitFor("only the retros", `Array.from(document.querySelectorAll("#selection-list li span")).every(s => s.textContent.includes("retro")) && document.querySelectorAll("#selection-list li").length > 0`)
	checkAccessible(t, b.ctx, "sessions-compact-selection")
}
