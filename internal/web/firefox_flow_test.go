package web_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// signIn signs login in with mouse and keys, and waits for All Sessions.
func (f *firefox) signIn(a *app, login string) {
	f.t.Helper()
	f.navigate(a.srv.URL + "/login")
	f.typeInto("textbox", "Workspace", a.Tenant.Slug)
	f.typeInto("textbox", "Email or phone", login)
	f.typeInto("", "Password", testPassword+keyEnter)
	f.byRole("searchbox", "Search sessions")
}

// TestFirefoxInviteUsers walks the contract's main flow in Firefox (the
// contract names Chromium and Firefox): sign in, search, tick sessions
// across a search and a page turn, type contacts into Invite Users (chips
// resolved: avatar, avatar, "(!)", invalid), View only, Add Users, and the
// session page's switch to Collaborate; with real mouse and key input and
// no JavaScript error. The Chromium tests cover the rest in depth.
func TestFirefoxInviteUsers(t *testing.T) {
	a := newApp(t)
	f := newFirefox(t, 1280, 900)

	f.signIn(a, "ada@acme.test")
	f.waitFor("the first page of sessions", `document.querySelectorAll("#session-rows tr:not(.skeleton)").length === 25`)

	// Tick a session found by search, then one on page one; page forward
	// and back.
	f.typeInto("searchbox", "Search sessions", "budget")
	f.waitFor("the search result", `Array.from(document.querySelectorAll("#session-rows .row-title")).map(a => a.textContent).join() === "Budget review"`)
	f.click("checkbox", "Select Budget review")
	f.click("searchbox", "Search sessions")
	f.keys(strings.Repeat(keyBackspace, len("budget")))
	f.waitFor("page one again", `document.querySelectorAll("#session-rows tr:not(.skeleton)").length === 25`)
	first := evalJSON[string](f, `document.querySelector("#session-rows .row-title").textContent`)
	f.click("checkbox", "Select "+first)
	f.click("button", "Next page")
	f.waitFor("page two", `document.getElementById("page-label").textContent === "Page 2 of 2"`)
	f.click("button", "Previous page")
	f.waitFor("page one", `document.getElementById("page-label").textContent === "Page 1 of 2"`)
	f.waitFor("2 selected", `document.getElementById("selection-count").textContent === "2 selected"`)

	// Invite Users: contacts typed, one chip each, resolved.
	f.click("button", "Invite User")
	f.byRole("dialog", "Invite Users")
	f.waitFor("focus in the contacts field", `document.activeElement.id === "invite-contacts"`)
	f.keys("jane@acme.test, (212) 555-0100, nobody@example.test, bad@" + keyEnter)
	f.waitFor("four resolved chips", `document.querySelectorAll("dialog[open] .chip").length === 4 && !document.querySelector("dialog[open] .chip--pending")`)
	want := []string{"registered:Jane Doejane@acme.test", "registered:Phil Ortiz+12125550100", "unregistered:(!)nobody@example.testnot registered", "invalid:!bad@invalid"}
	if chips := evalJSON[[]string](f, chipsJS); !slices.Equal(chips, want) {
		t.Errorf("chips in Firefox = %q, want %q", chips, want)
	}
	if n := evalJSON[int](f, `document.querySelectorAll("dialog[open] .chip--registered img.avatar").length`); n != 2 {
		t.Errorf("%d avatars on registered chips, want 2", n)
	}
	f.click("radio", "View only")
	f.screenshot("firefox-invite-users")
	f.click("button", "Add Users")
	f.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	counts := evalJSON[[]string](f, `Array.from(document.querySelectorAll(".summary-counts div")).map(d => d.textContent)`)
	if want := []string{"4added", "0upgraded", "0unchanged", "1skipped"}; !slices.Equal(counts, want) {
		t.Errorf("summary counts = %q, want %q", counts, want)
	}
	f.keys(keyEscape)
	f.waitFor("the dialog closed", `!document.getElementById("invite-dialog").open`)

	api := a.apiAs("ada@acme.test")
	wantGrants := map[string]string{}
	for _, title := range []string{"Budget review", first} {
		wantGrants[title+"/Jane Doe"] = "view"
		wantGrants[title+"/Phil Ortiz"] = "view"
	}
	if got := api.grants(a, a.jane, a.phil); !maps.Equal(got, wantGrants) {
		t.Errorf("grants after Add Users in Firefox = %v, want %v", got, wantGrants)
	}

	// The session page: Jane from View only to Collaborate.
	f.navigate(fmt.Sprintf("%s/sessions/%d", a.srv.URL, a.sessionIDs["Budget review"]))
	janes := f.byRole("group", "Access for Jane Doe")
	f.clickNode(f.byRoleIn(&janes, "radio", "Collaborate"))
	f.waitFor("the change saved", `document.getElementById("toast")?.textContent === "Jane Doe can now collaborate."`)
	if got := api.grants(a, a.jane)["Budget review/Jane Doe"]; got != "collaborate" {
		t.Errorf("Jane's access after the switch in Firefox = %q, want collaborate", got)
	}
}
