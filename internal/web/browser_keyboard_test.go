package web_test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// tabTo presses Tab (or Shift+Tab) until cond holds for the focused element.
func (b *browser) tabTo(what, cond string, back bool) {
	b.t.Helper()
	for range 60 {
		if eval[bool](b, "!!("+cond+")") {
			return
		}
		if back {
			b.key(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
		} else {
			b.key(kb.Tab)
		}
	}
	b.t.Fatalf("Tab never reached %s", what)
}

func focusedIs(label string) string {
	return fmt.Sprintf(`document.activeElement && (document.activeElement.getAttribute("aria-label") === %q || document.activeElement.textContent.trim() === %q)`, label, label)
}

// TestBrowserInviteByKeyboard runs the invite flow with the keyboard alone:
// Tab, Space, Enter, Backspace, arrows and Escape.
func TestBrowserInviteByKeyboard(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, 1280, 900)
	b.navigate(a.srv.URL + "/login")
	b.waitFor("focus in the workspace field", `document.activeElement.id === "workspace"`)
	b.key(a.Tenant.Slug + kb.Tab + "ada@acme.test" + kb.Tab + testPassword + kb.Enter)
	b.waitFor("the first page of sessions", `document.querySelectorAll("#session-rows tr:not(.skeleton)").length === 25`)
	title := eval[string](b, `document.querySelector("#session-rows .row-title").textContent`)

	// Tick the first session, then go back to "Invite User".
	b.tabTo("the first checkbox", focusedIs("Select "+title), false)
	b.key(" ")
	b.waitFor("1 selected", `document.getElementById("selection-count").textContent === "1 selected"`)
	b.tabTo("Invite User", focusedIs("Invite User"), true)

	// Enter opens the dialog with focus in it; Escape closes it and gives
	// the focus back.
	b.key(kb.Enter)
	b.waitFor("the dialog open, focus in its field", `document.getElementById("invite-dialog").open && document.activeElement.id === "invite-contacts"`)
	b.key(kb.Escape)
	b.waitFor("the dialog closed, focus back", `!document.getElementById("invite-dialog").open && document.activeElement.id === "invite-open"`)
	b.key(kb.Enter)
	b.waitFor("the dialog open again", `document.getElementById("invite-dialog").open && document.activeElement.id === "invite-contacts"`)

	// Type people; Backspace in the empty field removes the last chip.
	b.key("jane@acme.test,oops@acme.test ")
	b.waitFor("two chips", `document.querySelectorAll("dialog[open] .chip").length === 2`)
	b.key(kb.Backspace)
	b.key("(212) 555-0100" + kb.Enter)
	b.waitFor("Jane and Phil resolved", `Array.from(document.querySelectorAll("dialog[open] .chip")).map(c => c.dataset.status).join() === "registered,registered"`)

	// Focus stays inside the dialog however far one tabs, both ways.
	inside := `document.getElementById("invite-dialog").contains(document.activeElement)`
	for i := range 24 {
		if i < 12 {
			b.key(kb.Tab)
		} else {
			b.key(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		if !eval[bool](b, inside) {
			t.Fatalf("after %d Tabs the focus left the dialog", i+1)
		}
	}

	// View only, with the arrow keys of the radio group; then Add Users.
	b.tabTo("the access choice", `document.activeElement.name === "invite-access"`, false)
	b.key(kb.ArrowRight)
	b.waitFor("View only chosen", `document.querySelector("input[name=invite-access]:checked").value === "view"`)
	b.tabTo("Add Users", focusedIs("Add Users"), false)
	b.key(kb.Enter)
	b.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	b.key(kb.Escape)
	b.waitFor("the dialog closed, focus on the page", `!document.getElementById("invite-dialog").open && document.activeElement.id === "search"`)

	got := a.apiAs("ada@acme.test").grants(a, a.jane, a.phil)
	want := map[string]string{title + "/Jane Doe": "view", title + "/Phil Ortiz": "view"}
	if !maps.Equal(got, want) {
		t.Errorf("grants = %v, want %v", got, want)
	}
}
