package web_test

import (
	"fmt"

	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pasteJS pastes text into the focused field through a real paste event,
// as the clipboard would deliver it.
func pasteJS(text string) string {
	return fmt.Sprintf(`(() => {
		const data = new DataTransfer();
		data.setData("text/plain", %q);
		document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
		return true;
	})()`, text)
}

// chipsJS lists the chips of the open dialog as "status:text".
const chipsJS = `Array.from(document.querySelectorAll("dialog[open] .chip")).map(c => c.dataset.status + ":" + c.textContent.trim())`

// signIn signs in through the sign-in page and waits for All Sessions.
func signIn(b *browser, a *app, login string) {
	b.t.Helper()
	signInEmpty(b, a, login)
	b.waitFor("the first page of sessions", `document.querySelectorAll("#session-rows tr:not(.skeleton)").length > 0`)
}

// signInEmpty is signIn for someone who may have no session: it waits for
// All Sessions only.
func signInEmpty(b *browser, a *app, login string) {
	b.t.Helper()
	b.navigate(a.srv.URL + "/login")
	b.waitRole("button", "Sign in")
	b.do("clear the remembered workspace", clearField("#workspace"))
	b.typeInto("textbox", "Workspace", a.Tenant.Slug)
	b.typeInto("textbox", "Email or phone", login)
	b.typeInto("textbox", "Password", testPassword)
	b.click("button", "Sign in")
	b.waitRole("searchbox", "Search sessions")
}

// waitRows waits until the list shows exactly these titles (in any order).
func waitTitles(b *browser, want ...string) {
	b.t.Helper()
	b.waitFor("rows "+strings.Join(want, ", "), fmt.Sprintf(`(() => {
		const got = Array.from(document.querySelectorAll("#session-rows .row-title")).map(a => a.textContent).sort();
		return JSON.stringify(got) === %q;
	})()`, jsonList(slices.Sorted(slices.Values(want)))))
}

func jsonList(v []string) string {
	parts := make([]string, len(v))
	for i, s := range v {
		parts[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func checked(b *browser, title string) bool {
	return eval[bool](b, fmt.Sprintf(`!!document.querySelector('input[aria-label=%q]')?.checked`, "Select "+title))
}

func TestBrowserInviteUsers(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, 1280, 900)

	// Sign-in page, with its screenshot.
	b.navigate(a.srv.URL + "/sessions")
	b.waitRole("button", "Sign in")
	b.screenshot("sign-in")
	checkAccessible(t, b.ctx, "sign-in")
	signIn(b, a, "ada@acme.test")

	// Search narrows the list as one types.
	b.typeInto("searchbox", "Search sessions", "retro")
	var retros []string
	for _, title := range sessionTitles {
		if strings.Contains(title, "retro") {
			retros = append(retros, title)
		}
	}
	waitTitles(b, retros...)

	// Tick two sessions on the first page, search and tick a third.
	b.do("clear search", clearField("#search"))
	b.waitFor("page one again", `document.querySelectorAll("#session-rows tr").length === 25`)
	first := eval[[]string](b, `Array.from(document.querySelectorAll("#session-rows .row-title")).slice(0, 2).map(a => a.textContent)`)
	for _, title := range first {
		b.click("checkbox", "Select "+title)
	}
	b.waitRole("button", "Invite User") // enabled by now
	b.typeInto("searchbox", "Search sessions", "budget")
	waitTitles(b, "Budget review")
	b.click("checkbox", "Select Budget review")
	b.waitFor("3 selected", `document.getElementById("selection-count").textContent === "3 selected"`)

	// Page forward and back: the selection stays, and it survives a reload.
	b.do("clear search", clearField("#search"))
	b.waitFor("page one again", `document.querySelectorAll("#session-rows tr").length === 25`)
	b.click("button", "Next page")
	b.waitFor("page two", `document.getElementById("page-label").textContent === "Page 2 of 2"`)
	if !checked(b, "Budget review") {
		t.Errorf("Budget review is not ticked on page two")
	}
	b.click("button", "Previous page")
	b.waitFor("page one", `document.getElementById("page-label").textContent === "Page 1 of 2"`)
	b.navigate(a.srv.URL + "/sessions")
	b.waitFor("rows after reload", `document.querySelectorAll("#session-rows tr:not(.skeleton)").length === 25`)
	for _, title := range first {
		if !checked(b, title) {
			t.Errorf("%s is not ticked after paging and reloading", title)
		}
	}
	b.waitFor("3 selected after reload", `document.getElementById("selection-count").textContent === "3 selected"`)
	b.doOnFreshNode("show the selected titles", chromedp.Click(chromedp.CSS("#selection-bar summary")))
	selected := []string{first[0], first[1], "Budget review"}
	for _, title := range selected {
		b.waitRole("button", "Unselect "+title)
	}
	b.screenshot("all-sessions-selection")
	checkAccessible(t, b.ctx, "all-sessions-selection")

	// Invite Users: paste four contacts and see them resolved.
	b.click("button", "Invite User")
	b.waitRole("dialog", "Invite Users")
	b.waitFor("focus in the contacts field", `document.activeElement.id === "invite-contacts"`)
	eval[bool](b, pasteJS("jane@acme.test, (212) 555-0100, nobody@example.test, bad@"))
	b.waitFor("four resolved chips", `document.querySelectorAll("dialog[open] .chip").length === 4 && !document.querySelector("dialog[open] .chip--pending")`)
	chips := eval[[]string](b, chipsJS)
	want := []string{"registered:Jane Doejane@acme.test", "registered:Phil Ortiz+12125550100", "unregistered:(!)nobody@example.testnot registered", "invalid:!bad@invalid"}
	if !slices.Equal(chips, want) {
		t.Errorf("chips = %q, want %q", chips, want)
	}
	if n := eval[int](b, `document.querySelectorAll("dialog[open] .chip--registered img.avatar").length`); n != 2 {
		t.Errorf("%d avatars on registered chips, want 2", n)
	}
	b.waitFor("the not-registered hint", `!document.querySelector("dialog[open] .chip-hint").hidden`)
	targets := eval[[]string](b, `Array.from(document.querySelectorAll("#invite-targets li")).map(li => li.textContent)`)
	if !slices.Equal(slices.Sorted(slices.Values(targets)), slices.Sorted(slices.Values(selected))) {
		t.Errorf("dialog lists sessions %q, want %q", targets, selected)
	}
	b.click("radio", "View only")
	b.screenshot("invite-users-dialog")
	checkAccessible(t, b.ctx, "invite-users-dialog")
	b.click("button", "Add Users")
	b.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	counts := eval[[]string](b, `Array.from(document.querySelectorAll(".summary-counts div")).map(d => d.textContent)`)
	if want := []string{"6added", "0upgraded", "0unchanged", "1skipped"}; !slices.Equal(counts, want) {
		t.Errorf("summary counts = %q, want %q", counts, want)
	}
	left := eval[[]string](b, chipsJS)
	if want := []string{"unregistered:(!)nobody@example.testnot registered", "invalid:!bad@invalid"}; !slices.Equal(left, want) {
		t.Errorf("chips left after adding = %q, want %q", left, want)
	}
	b.screenshot("invite-users-summary")
	checkAccessible(t, b.ctx, "invite-users-summary")
	b.key("\x1b") // Escape
	b.waitFor("the dialog closed", `!document.getElementById("invite-dialog").open`)
	b.waitFor("the selection used up", `document.getElementById("selection-count").textContent === "0 selected"`)

	// The API shows exactly those grants.
	api := a.apiAs("ada@acme.test")
	gotGrants := api.grants(a, a.jane, a.phil)
	wantGrants := map[string]string{}
	for _, title := range selected {
		wantGrants[title+"/Jane Doe"] = "view"
		wantGrants[title+"/Phil Ortiz"] = "view"
	}
	if !maps.Equal(gotGrants, wantGrants) {
		t.Errorf("grants after Add Users = %v, want %v", gotGrants, wantGrants)
	}

	// The session page: switch Jane from View only to Collaborate, and
	// invite Sam to this one session.
	sid := a.sessionIDs["Budget review"]
	b.navigate(fmt.Sprintf("%s/sessions/%d", a.srv.URL, sid))
	b.waitRole("group", "Access for Jane Doe")
	b.doOnFreshNode("Jane's Collaborate", chromedp.Click(chromedp.JSPath(fmt.Sprintf(`document.querySelector("input[name=access-%d][value=collaborate]")`, a.jane.ID))))
	b.waitFor("the change saved", `document.getElementById("toast")?.textContent === "Jane Doe can now collaborate."`)
	if got := api.grants(a, a.jane)["Budget review/Jane Doe"]; got != "collaborate" {
		t.Errorf("Jane's access after the switch = %q, want collaborate", got)
	}
	b.typeInto("textbox", "Emails or phone numbers", "sam@acme.test\r")
	b.waitFor("Sam's chip", `document.querySelector("#session-invite .chip--registered")`)
	b.click("button", "Invite")
	b.waitRole("group", "Access for Sam Lee")
	b.click("button", "Remove Sam Lee")
	b.waitRole("group", "Remove Sam Lee?")
	b.key("\x1b") // Escape cancels, and focus returns to Remove
	b.waitFor("the confirmation gone", `!document.querySelector(".member-confirm") && document.activeElement?.getAttribute("aria-label") === "Remove Sam Lee"`)
	b.screenshot("session-page")
	checkAccessible(t, b.ctx, "session-page")
	if got := api.grants(a, a.sam); !maps.Equal(got, map[string]string{"Budget review/Sam Lee": "collaborate"}) {
		t.Errorf("Sam's grants = %v, want collaborate in Budget review", got)
	}

	// Signed out, a viewer sees the session read-only.
	b.click("button", "Sign out")
	b.waitRole("button", "Sign in")
	signIn(b, a, "(212) 555-0100")
	b.navigate(fmt.Sprintf("%s/sessions/%d", a.srv.URL, sid))
	b.waitFor("members listed", `document.querySelectorAll("#members-list li").length === 4`)
	if n := eval[int](b, `document.querySelectorAll("#members-list input, #members-list button, #session-invite").length`); n != 0 {
		t.Errorf("a viewer sees %d controls to change access, want none", n)
	}
}

// TestBrowserNarrowScreen checks that All Sessions fits 375 px.
func TestBrowserNarrowScreen(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, 1024, 768)
	b.do("a 375 px screen", chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile))
	signIn(b, a, "ada@acme.test")
	b.click("checkbox", "Select "+sessionTitles[len(sessionTitles)-1])
	b.screenshot("all-sessions-375")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("All Sessions is %d px wide at 375 px", w)
	}
	b.click("button", "Invite User")
	b.waitRole("dialog", "Invite Users")
	if w := eval[int](b, `Math.ceil(document.getElementById("invite-dialog").getBoundingClientRect().right)`); w > 375 {
		t.Errorf("the dialog reaches %d px at 375 px", w)
	}
	b.screenshot("invite-users-375")
	checkAccessible(t, b.ctx, "the Invite Users dialog on a small screen")
}
