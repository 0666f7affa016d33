package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"convene"
)

// TestBrowserSessionLifecycle: a fresh workspace's All Sessions says what
// to do first; a session is created from its empty state (a refused title
// shown at its field) and from the page's "New session", renamed, and
// deleted ("Delete session" asks; Escape cancels, "Delete" deletes and All
// Sessions says so). A collaborator sees neither Rename nor Delete
// session. Every step under axe at 1280 and 375 px.
func TestBrowserSessionLifecycle(t *testing.T) {
	a := newAcme(t)
	cole := a.user("Cole Collab", "cole@acme.test", "", convene.RoleMember)
	a.serve()
	b := newBrowser(t, 1280, 900)
	signInEmpty(b, a, "ada@acme.test")

	b.waitRole("heading", "No sessions yet")
	if text := eval[string](b, `document.getElementById("list-state").textContent`); !strings.Contains(text, "Create a session") {
		t.Errorf("the first run says %q, want the next step", text)
	}
	b.waitRole("link", "Add people on Users")
	checkAccessible(t, b.ctx, "All Sessions, first run")

	// From the empty state, with a blank title first.
	b.doOnFreshNode("click the empty state's New session", chromedp.Click(chromedp.CSS("#list-state button")))
	b.waitRole("dialog", "New session")
	b.waitFor("focus in the title", `document.activeElement.id === "new-session-name"`)
	b.typeInto("textbox", "Title", "   ")
	b.click("button", "Create session")
	wantFieldError(b, "new-session-name", "Is required")
	checkAccessible(t, b.ctx, "New session, refused")
	b.do("clear the title", clearField("#new-session-name"))
	b.typeInto("textbox", "Title", "Kickoff")
	b.typeInto("textbox", "Description", "Where the project starts.")
	b.click("button", "Create session")
	waitSessionPage(b, "Kickoff")
	kickoff := sessionOnPage(b)
	checkAccessible(t, b.ctx, "A new session, as its owner")

	// Rename, with the fields as they were.
	b.click("button", "Rename")
	b.waitRole("dialog", "Rename session")
	if got := eval[string](b, `document.getElementById("rename-description").value`); got != "Where the project starts." {
		t.Errorf("Rename shows the description %q", got)
	}
	checkAccessible(t, b.ctx, "Rename session")
	b.do("clear the title", clearField("#rename-name"))
	b.typeInto("textbox", "Title", "Kickoff 2027")
	b.click("button", "Save")
	b.waitRole("heading", "Kickoff 2027")
	if s, err := a.Store.FindSessionByID(a.Sys(), kickoff); err != nil || s.Title != "Kickoff 2027" {
		t.Errorf("after Rename the store has %+v, %v", s, err)
	}

	// From All Sessions' own button.
	b.click("link", "← All Sessions")
	b.waitFor("the list", `document.querySelectorAll("#session-rows tr:not(.skeleton)").length === 1`)
	b.click("button", "New session")
	b.waitRole("dialog", "New session")
	b.typeInto("textbox", "Title", "Retro")
	b.click("button", "Create session")
	waitSessionPage(b, "Retro")
	retro := sessionOnPage(b)

	// Delete session: Escape cancels, Delete deletes.
	b.click("button", "Delete session")
	b.waitRole("dialog", "Delete session?")
	b.waitFor("focus on Cancel", `document.activeElement.id === "delete-cancel"`)
	checkAccessible(t, b.ctx, "Delete session?")
	b.key("\x1b")
	b.waitFor("the confirmation closed", `!document.getElementById("delete-dialog").open`)
	if _, err := a.Store.FindSessionByID(a.Sys(), retro); err != nil {
		t.Fatalf("Escape deleted the session: %v", err)
	}
	b.click("button", "Delete session")
	b.waitRole("dialog", "Delete session?")
	b.click("button", "Delete")
	b.waitRole("searchbox", "Search sessions")
	b.waitFor("the toast", `document.getElementById("toast")?.textContent === "“Retro” was deleted."`)
	if _, err := a.Store.FindSessionByID(a.Sys(), retro); convene.ErrorCode(err) != convene.ENOTFOUND {
		t.Errorf("after Delete: %v, want the session gone", err)
	}
	checkAccessible(t, b.ctx, "All Sessions after a delete")

	// A collaborator reads and writes, but neither renames nor deletes.
	a.Grant(t, a.Admin, convene.GrantRequest{SessionIDs: []int64{kickoff}, Contacts: []string{cole.Email}, Access: convene.AccessCollaborate})
	signOut(b)
	signIn(b, a, "cole@acme.test")
	b.click("link", "Kickoff 2027")
	waitSessionPage(b, "Kickoff 2027")
	if n := eval[int](b, `document.querySelectorAll("#rename-open, #delete-open, #rename-dialog, #delete-dialog").length`); n != 0 {
		t.Errorf("a collaborator's page has %d of Rename / Delete session", n)
	}
	checkAccessible(t, b.ctx, "A session, as a collaborator")
}

// waitSessionPage waits for the page of the session titled title, its
// scripts run (they have listed the members).
func waitSessionPage(b *browser, title string) {
	b.t.Helper()
	b.waitRole("heading", title)
	b.waitFor("the members listed", `document.querySelectorAll("#members-list li.member").length > 0`)
}

// sessionOnPage is the id of the session the page shows.
func sessionOnPage(b *browser) int64 {
	b.t.Helper()
	id, err := strconv.ParseInt(eval[string](b, `document.body.dataset.sessionId`), 10, 64)
	if err != nil {
		b.t.Fatalf("the session page has no session id: %v", err)
	}
	return id
}
