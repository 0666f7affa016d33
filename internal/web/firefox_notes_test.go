package web_test

import (
	"fmt"
	"strconv"
	"testing"

	"convene"
	"convene/internal/storetest"
)

// TestFirefoxNotesLive walks the Notes' main flow in Firefox, Jane's page
// live while Ada acts through the API: Ada's note appears; Jane's open
// editor turns read-only when Ada switches her to View only and editable
// again when she switches back, her text kept; a conflicting save shows
// both texts; removal says "You no longer have access to this session".
func TestFirefoxNotesLive(t *testing.T) {
	a := newApp(t)
	id := janeCollaborates(t, a)
	f := newFirefox(t, 1280, 900)
	f.signIn(a, "jane@acme.test")
	f.navigate(fmt.Sprintf("%s/sessions/%d", a.srv.URL, id))
	f.waitFor("the notes loaded", `!document.querySelector("#notes-state .spinner") && document.querySelector("#members-list li.member")`)

	ada := a.apiAs("ada@acme.test")
	var note struct{ ID string }
	ada.call("POST", fmt.Sprintf("/api/v1/sessions/%d/notes", id), map[string]string{"title": "Agenda", "body": "**Budget** for Q3"}, &note)
	f.waitFor("Ada's note on Jane's page", `document.querySelector("#notes-list .markdown strong")?.textContent === "Budget"`)

	f.click("button", "Edit")
	f.typeInto("textbox", "Note text", " plus travel")
	member := fmt.Sprintf("/api/v1/sessions/%d/members/%d", id, a.jane.ID)
	ada.call("PUT", member, map[string]string{"access": "view"}, nil)
	f.waitFor("Jane's editor read-only, her text kept", editorReadOnly("plus travel")+` && `+liveStatus+`.includes("View only")`)
	ada.call("PUT", member, map[string]string{"access": "collaborate"}, nil)
	f.waitFor("Jane's editor editable again", editor+`.querySelector("textarea[name=body]").readOnly === false && !document.getElementById("note-add").hidden`)

	noteID, _ := strconv.ParseInt(note.ID, 10, 64)
	theirs := "Ada's new agenda"
	if _, err := a.Store.UpdateNote(storetest.As(a.Admin), id, noteID, 1, convene.NoteUpdate{Body: &theirs}); err != nil {
		t.Fatalf("UpdateNote: %v", err)
	}
	f.waitFor("Jane told who changed it", editor+`.textContent.includes("Changed by Ada Admin")`)
	f.click("button", "Save note")
	f.waitFor("both texts shown", editor+`.querySelector(".note-conflict:not([hidden]) textarea").value === "Ada's new agenda" && `+editor+`.querySelector("textarea[name=body]").value.includes("plus travel")`)
	f.screenshot("firefox-session-notes-conflict")
	f.click("button", "Save mine over theirs")
	f.waitFor("Jane's text saved", `!document.querySelector("#notes-list form") && document.querySelector("#notes-list .markdown").textContent.includes("plus travel")`)

	ada.call("DELETE", member, nil, nil)
	f.waitFor("the lost-access state", liveStatus+`.includes("You no longer have access to this session") && document.getElementById("note-add").hidden && !document.querySelector("#notes-list .note-actions button")`)
}
