package web_test

// The session page's Notes and its live access (contract section 13), with
// two people signed in at once in two browser contexts: Ada (Tenant Admin,
// the owner of every session of newApp) and Jane, a collaborator.

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"convene"
)

// notesPage is one person's open session page.
type notesPage struct {
	*browser
	a  *app
	id int64
}

// janeCollaborates makes Jane a collaborator of "Budget review".
func janeCollaborates(t *testing.T, a *app) int64 {
	t.Helper()
	id := a.sessionIDs["Budget review"]
	ctx := convene.NewContextWithUser(context.Background(), a.Admin)
	if _, err := a.Store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{id}, Contacts: []string{a.jane.Email}, Access: convene.AccessCollaborate}); err != nil {
		t.Fatalf("Grant: %v", err)
	}
	return id
}

// openSession signs login in on b and opens session id, its notes loaded.
func openNotes(b *browser, a *app, login string, id int64) *notesPage {
	b.t.Helper()
	signIn(b, a, login)
	p := &notesPage{browser: b, a: a, id: id}
	b.navigate(fmt.Sprintf("%s/sessions/%d", a.srv.URL, id))
	b.waitFor("the notes loaded", `!document.querySelector("#notes-state .spinner") && document.querySelector("#members-list li.member")`)
	return p
}

// twoPeople opens "Budget review" for Ada and for Jane, its collaborator,
// in two browser contexts of one Chromium of width x height.
func twoPeople(t *testing.T, width, height int) (a *app, id int64, ada, jane *notesPage) {
	t.Helper()
	a = newApp(t)
	id = janeCollaborates(t, a)
	b := newBrowser(t, width, height)
	ada = openNotes(b, a, "ada@acme.test", id)
	jane = openNotes(b.otherPerson(width, height), a, "jane@acme.test", id)
	return a, id, ada, jane
}

// addNote writes a note with the mouse: "Add note", the two fields, "Save note".
func (p *notesPage) addNote(title, text string) {
	p.t.Helper()
	p.click("button", "Add note")
	p.typeInto("textbox", "Note title", title)
	p.typeInto("textbox", "Note text", text)
	p.click("button", "Save note")
	p.waitFor("the note saved", fmt.Sprintf(`!document.querySelector("#note-new form") && %s`, hasNote(title)))
}

func hasNote(title string) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll("#notes-list .note-title")).some(h => h.textContent === %q)`, title)
}

// editor is the JavaScript of the open editor of the session's one note.
const editor = `document.querySelector("#notes-list form.note-editor")`

// editorReadOnly holds when the open editor keeps want in its text but can
// no longer save, and no control that writes a note is left.
func editorReadOnly(want string) string {
	return fmt.Sprintf(`(() => {
		const f = %s, text = f && f.querySelector("textarea[name=body]");
		return text && text.readOnly && text.value.includes(%q) && f.querySelector("button[type=submit]").hidden &&
			!document.querySelector("#notes-list .note-actions button") && document.getElementById("note-add").hidden;
	})()`, editor, want)
}

const liveStatus = `document.getElementById("session-live-status").textContent`

// switchJane sets Jane's access with the per-member switch on Ada's page.
func (p *notesPage) switchJane(access string) {
	p.t.Helper()
	p.do("switch Jane to "+access, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#members-list [data-user-id="%d"] label:has(input[value=%s])`, p.a.jane.ID, access)), chromedp.NodeVisible))
	p.waitFor("the switch saved", fmt.Sprintf(`document.querySelector('#members-list [data-user-id="%d"] input[value=%s]').checked && !document.querySelector('#members-list [data-user-id="%d"] fieldset').disabled`, p.a.jane.ID, access, p.a.jane.ID))
}

// TestBrowserNotesLive: Ada writes a note and Jane sees it without reload;
// Jane edits, Ada switches her to View only and Jane's open editor turns
// read-only with her text kept, then back; a conflicting save shows both
// texts; removal says "You no longer have access to this session".
func TestBrowserNotesLive(t *testing.T) {
	a, _, ada, jane := twoPeople(t, 1280, 900)
	if s := eval[string](jane.browser, liveStatus); s != "" {
		t.Errorf("a collaborator's page says %q, want nothing", s)
	}

	ada.addNote("Agenda", "**Budget** for Q3, see https://example.test")
	jane.waitFor("Ada's note on Jane's page, rendered", `document.querySelector("#notes-list .markdown strong")?.textContent === "Budget" &&
		document.querySelector('#notes-list .markdown a[href="https://example.test"]')?.rel === "noopener nofollow ugc"`)
	if got := eval[string](jane.browser, `document.querySelector("#notes-list .note-meta").textContent`); len(got) < len("Ada Admin · ") || got[:len("Ada Admin · ")] != "Ada Admin · " {
		t.Errorf("byline %q, want it to start with the author, Ada Admin", got)
	}

	// Jane edits; Ada switches her to View only: the editor turns
	// read-only, her text stays, the controls go and the page says so.
	jane.click("button", "Edit")
	jane.typeInto("textbox", "Note text", " plus travel")
	ada.switchJane("view")
	jane.waitFor("Jane's editor read-only, her text kept", editorReadOnly("plus travel"))
	jane.waitFor("View only said", liveStatus+`.includes("View only") && document.querySelector(".page-head .badge").textContent === "You: View only"`)
	jane.waitFor("Jane's row in the members list updated", fmt.Sprintf(`document.querySelector('#members-list [data-user-id="%d"] .badge')?.textContent === "View only"`, a.jane.ID))
	jane.screenshot("session-notes-view-only")
	checkAccessible(t, jane.ctx, "session notes, switched to view only")

	// Back to Collaborate: the controls come back, the text is still there.
	ada.switchJane("collaborate")
	jane.waitFor("Jane's editor editable again", fmt.Sprintf(`(() => { const f = %s, text = f && f.querySelector("textarea[name=body]");
		return text && !text.readOnly && text.value.includes("plus travel") && !f.querySelector("button[type=submit]").hidden && !document.getElementById("note-add").hidden; })()`, editor))

	// Ada saves first; Jane's save then answers 412 and shows both texts.
	ada.click("button", "Edit")
	ada.do("clear Ada's text", clearField(`#notes-list form.note-editor textarea`))
	ada.typeInto("textbox", "Note text", "Ada's new agenda")
	ada.click("button", "Save note")
	ada.waitFor("Ada's version saved", `document.querySelector("#notes-list .markdown")?.textContent.includes("Ada's new agenda") && !document.querySelector("#notes-list form")`)
	jane.waitFor("Jane told who changed it", editor+`.textContent.includes("Changed by Ada Admin")`)
	jane.click("button", "Save note")
	jane.waitFor("both texts shown", fmt.Sprintf(`(() => { const f = %s, box = f && f.querySelector(".note-conflict:not([hidden])");
		return box && box.querySelector("textarea").value === "Ada's new agenda" && box.querySelector("textarea").readOnly &&
			f.querySelector("textarea[name=body]").value.includes("plus travel"); })()`, editor))
	jane.screenshot("session-notes-conflict")
	checkAccessible(t, jane.ctx, "session notes, a conflict")
	jane.click("button", "Save mine over theirs")
	ada.waitFor("Jane's text on Ada's page", `document.querySelector("#notes-list .markdown")?.textContent.includes("plus travel")`)
	jane.waitFor("Jane's editor closed", `!document.querySelector("#notes-list form")`)

	// A rename shows on Jane's page as it happens.
	a.apiAs("ada@acme.test").call("PATCH", fmt.Sprintf("/api/v1/sessions/%d", jane.id), map[string]string{"title": "Budget review 2027", "description": "Now with travel."}, nil)
	jane.waitFor("the new title and description", `document.getElementById("session-title").textContent === "Budget review 2027" &&
		document.getElementById("session-description").textContent === "Now with travel." && document.title.startsWith("Budget review 2027")`)

	// Ada removes Jane: Jane's page says so and its controls go.
	ada.click("button", "Remove Jane Doe")
	ada.click("button", "Yes, remove")
	jane.waitFor("the lost-access state", liveStatus+`.includes("You no longer have access to this session") &&
		document.getElementById("note-add").hidden && !document.querySelector("#notes-list .note-actions button")`)
	ada.screenshot("session-notes")
	checkAccessible(t, ada.ctx, "session notes, the owner")
	checkAccessible(t, jane.ctx, "session notes, access lost")
}

// TestBrowserNoteSaveRefusedAfterSwitch: a page that has not yet heard of
// a switch to View only (its event stream is held back here) saves, gets
// 403, and says "You have view-only access now" with the text kept.
func TestBrowserNoteSaveRefusedAfterSwitch(t *testing.T) {
	a := newApp(t)
	id := janeCollaborates(t, a)
	b := newBrowser(t, 1280, 900)
	b.do("hold back the event stream", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.EventSource = class { addEventListener() {} close() {} };`})
		return err
	}))
	jane := openNotes(b, a, "jane@acme.test", id)
	jane.addNote("Plan", "first")
	jane.click("button", "Edit")
	jane.typeInto("textbox", "Note text", " and second")
	a.apiAs("ada@acme.test").call("PUT", fmt.Sprintf("/api/v1/sessions/%d/members/%d", id, a.jane.ID), map[string]string{"access": "view"}, nil)
	jane.click("button", "Save note")
	jane.waitFor("the refusal said, the text kept, read-only", editor+`.textContent.includes("You have view-only access now") && `+editorReadOnly("and second"))
	jane.waitFor("View only on the page", liveStatus+`.includes("View only")`)
	checkAccessible(t, jane.ctx, "session notes, a refused save")
}

// TestBrowserNotesByKeyboardNarrow: at 375 px and with the keyboard alone,
// Ada adds a note (Tab, Enter), edits and cancels, deletes after Escape
// cancelled a first try; Jane, at 375 px too, sees the note come and go.
func TestBrowserNotesByKeyboardNarrow(t *testing.T) {
	_, _, ada, jane := twoPeople(t, 375, 800)

	// What focus scrolls to stays below the sticky top bar (WCAG 2.4.11).
	if !eval[bool](ada.browser, `document.querySelector(".topbar").offsetHeight + 8 <= parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop)`) {
		t.Errorf("at 375 px the top bar (%v px) is taller than the scroll padding under it", eval[int](ada.browser, `document.querySelector(".topbar").offsetHeight`))
	}
	ada.tabTo("Add note", focusedIs("Add note"), false)
	ada.key(kb.Enter)
	ada.waitFor("focus in Note title", `document.activeElement.name === "title"`)
	ada.key("Decisions" + kb.Tab + "- ship it")
	ada.tabTo("Save note", focusedIs("Save note"), false)
	ada.key(kb.Enter)
	ada.waitFor("the note saved, focus on its Edit", hasNote("Decisions")+` && document.activeElement.textContent === "Edit"`)
	jane.waitFor("the note on Jane's page", hasNote("Decisions")+` && document.querySelector("#notes-list .markdown li")?.textContent === "ship it"`)
	checkNoSidewaysScroll(t, jane.ctx, "session notes on Jane's page")

	ada.key(kb.Enter)
	ada.waitFor("the editor open, focus in it", `document.activeElement.name === "title" && document.activeElement.value === "Decisions"`)
	checkAccessible(t, ada.ctx, "session notes, the editor at 375 px")
	ada.tabTo("Cancel", focusedIs("Cancel"), false)
	ada.key(kb.Enter)
	ada.waitFor("the editor closed, focus on Edit", `!document.querySelector("#notes-list form") && document.activeElement.textContent === "Edit"`)

	ada.key(kb.Tab)
	ada.waitFor("focus on Delete", focusedIs("Delete"))
	ada.key(kb.Enter)
	ada.waitFor("asked to confirm, focus on Cancel", `document.activeElement.textContent === "Cancel" && document.querySelector("#notes-list .member-confirm")`)
	ada.key(kb.Escape)
	ada.waitFor("Escape cancelled, focus back on Delete", `!document.querySelector("#notes-list .member-confirm") && document.activeElement.textContent === "Delete"`)
	ada.key(kb.Enter)
	ada.tabTo("Yes, delete", focusedIs("Yes, delete"), false)
	ada.key(kb.Enter)
	ada.waitFor("the note gone, focus on Notes", `!`+hasNote("Decisions")+` && document.activeElement.id === "notes-heading"`)
	jane.waitFor("the note gone from Jane's page", `!`+hasNote("Decisions")+` && document.querySelector("#notes-state").textContent.includes("No notes yet")`)
}
