package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"convene"
	"convene/internal/poll"
	"convene/internal/storetest"
)

// tipApp is the seed article's Tip #1 set up for real (guestApp: messages
// go through SMTP to an in-process server): Sara, a Session Admin; Jane,
// Kim and Lee registered; four "Tip sync" sessions owned by Ada, Jane
// already collaborating in the first and Kim viewing the second.
type tipApp struct {
	*guestApp
	sara, jane, kim, lee *convene.User
	tips                 []string // the four titles
}

func newTipApp(t *testing.T) *tipApp {
	t.Helper()
	a := &tipApp{guestApp: newGuestApp(t)}
	a.sara = a.user("Sara Admin", "sara@acme.test", "", convene.RoleSessionAdmin)
	a.jane = a.user("Jane Doe", "jane@acme.test", "", convene.RoleMember)
	a.kim = a.user("Kim Park", "kim@acme.test", "", convene.RoleMember)
	a.lee = a.user("Lee Chan", "lee@acme.test", "", convene.RoleMember)
	ids := make([]int64, 4)
	for i := range ids {
		title := fmt.Sprintf("Tip sync #%d", i+1)
		ids[i] = a.Session(t, a.Admin, title).ID
		a.sessionIDs[title] = ids[i]
		a.tips = append(a.tips, title)
	}
	a.Grant(t, a.Admin, convene.GrantRequest{SessionIDs: ids[:1], Contacts: []string{a.jane.Email}, Access: convene.AccessCollaborate})
	a.Grant(t, a.Admin, convene.GrantRequest{SessionIDs: ids[1:2], Contacts: []string{a.kim.Email}, Access: convene.AccessView})
	return a
}

// waitMessageTo waits for a message to addr whose text matches link, and
// returns the match: the order in which the worker sends is its own.
func (in *inbox) waitMessageTo(t testing.TB, addr string, link *regexp.Regexp) string {
	t.Helper()
	var found string
	poll.Until(t, 10*time.Second, "a message to "+addr+" with "+link.String(), func() bool {
		in.mu.Lock()
		msgs := slices.Clone(in.msgs)
		in.mu.Unlock()
		for _, raw := range msgs {
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil || !strings.Contains(m.Header.Get("To"), addr) {
				continue
			}
			text, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
			if found = link.FindString(string(text)); found != "" {
				return true
			}
		}
		return false
	})
	return found
}

// setPasswordFrom opens the set-password link of the message to addr,
// signed out, chooses a password and lands signed in on All Sessions.
func (a *tipApp) setPasswordFrom(b *browser, addr string) {
	b.t.Helper()
	link := a.inbox.waitMessageTo(b.t, addr, regexp.MustCompile(regexp.QuoteMeta(a.srv.URL)+`/set-password/[A-Za-z0-9_-]+`))
	b.navigate(link)
	b.waitRole("heading", "Choose your password")
	b.typeInto("textbox", "New password", testPassword)
	b.typeInto("textbox", "Repeat the password", testPassword)
	b.click("button", "Save password")
	b.waitRole("searchbox", "Search sessions")
}

// openInvite ticks the sessions titled, opens Invite Users and pastes
// contacts, waiting until n chips are resolved.
func openInvite(b *browser, titles []string, contacts string, n int) {
	b.t.Helper()
	for _, title := range titles {
		b.click("checkbox", "Select "+title)
	}
	b.waitFor("the selection", fmt.Sprintf(`document.getElementById("selection-count").textContent === "%d selected"`, len(titles)))
	b.click("button", "Invite User")
	b.waitRole("dialog", "Invite Users")
	b.waitFor("focus in the contacts field", `document.activeElement.id === "invite-contacts"`)
	eval[bool](b, pasteJS(contacts))
	b.waitFor(fmt.Sprintf("%d resolved chips", n), fmt.Sprintf(`document.querySelectorAll("dialog[open] .chip").length === %d && !document.querySelector("dialog[open] .chip--pending")`, n))
	b.waitFor(fmt.Sprintf("%d sessions listed", len(titles)), fmt.Sprintf(`document.querySelectorAll("#invite-targets li").length === %d`, len(titles)))
}

// waitPreview waits for the preview line by the buttons to read want.
func waitPreview(b *browser, want string) {
	b.t.Helper()
	b.waitFor("the preview "+want, fmt.Sprintf(`document.getElementById("invite-status").textContent === %q`, want))
}

// unregisteredChoices lists the choices offered for people not registered yet.
const unregisteredChoices = `Array.from(document.querySelectorAll("#invite-unregistered label")).map(l => l.textContent.trim())`

// summaryTiles lists the summary's counts as "<count><label>".
const summaryTiles = `Array.from(document.querySelectorAll("#invite-result .summary-counts div")).map(d => d.textContent)`

// groupEntries lists the entries of the summary's group key, opening it.
func groupEntries(b *browser, key string) []string {
	b.t.Helper()
	return eval[[]string](b, fmt.Sprintf(`(() => {
		const g = document.querySelector('#invite-result details[data-group=%q]');
		if (!g) return [];
		if (!g.open) { g.open = true; g.dispatchEvent(new Event("toggle")); }
		return Array.from(g.querySelectorAll("li")).map(li => li.textContent);
	})()`, key))
}

// TestBrowserTipOneStory is the seed article's Tip #1 without its chore: a
// Session Admin invites three registered and two unregistered people into
// four sessions, asking the Tenant Admin to register the two; the preview
// says what will happen; the Tenant Admin approves both on Activity; the
// two get their set-password links by email, choose passwords and find
// their four sessions.
func TestBrowserTipOneStory(t *testing.T) {
	a := newTipApp(t)
	b := newBrowser(t, 1280, 900)

	signIn(b, a.app, "sara@acme.test")
	openInvite(b, a.tips, "jane@acme.test, kim@acme.test, lee@acme.test, uma@example.test, Vic Stone <vic@example.test>", 5)
	b.waitFor("the choice for the unregistered", `!document.getElementById("invite-unregistered").hidden`)
	if got, want := eval[[]string](b, unregisteredChoices), []string{"Skip them", "Ask the Tenant Admin to register them", "Invite them as guests"}; !slices.Equal(got, want) {
		t.Errorf("a Session Admin is offered %q, want %q", got, want)
	}
	// 3 people x 4 sessions: Jane has the first, Kim views the second.
	waitPreview(b, "10 new, 1 upgraded, 1 already have access, 2 skipped")
	b.click("radio", "Ask the Tenant Admin to register them")
	waitPreview(b, "10 new, 1 upgraded, 1 already have access, 2 access requests")
	b.screenshot("invite-users-unregistered")
	checkAccessible(t, b.ctx, "invite-users-ask-tenant-admin")

	// While sending: "Adding…", busy, the button disabled.
	eval[bool](b, `(() => {
		window.seenBusy = [];
		const status = document.getElementById("invite-status"), submit = document.getElementById("invite-submit");
		new MutationObserver(() => window.seenBusy.push([status.textContent, submit.getAttribute("aria-busy"), submit.disabled,
			!document.getElementById("invite-progress").hidden].join("|"))).observe(status, { childList: true, characterData: true, subtree: true });
		return true;
	})()`)
	b.click("button", "Add Users")
	b.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	if seen := eval[[]string](b, `window.seenBusy`); !slices.Contains(seen, "Adding…|true|true|true") {
		t.Errorf("while adding the dialog showed %q, want Adding… busy with the button disabled and the progress shown", seen)
	}
	if got, want := eval[[]string](b, summaryTiles), []string{"10added", "1upgraded", "1unchanged", "0skipped", "2access requested"}; !slices.Equal(got, want) {
		t.Errorf("summary counts = %q, want %q", got, want)
	}
	if got, want := groupEntries(b, "requested"), []string{"uma@example.test", "Vic Stone <vic@example.test>"}; !slices.Equal(got, want) {
		t.Errorf("access requested for %q, want %q", got, want)
	}
	if n := eval[int](b, `document.querySelectorAll("dialog[open] .chip").length`); n != 0 {
		t.Errorf("%d chips left after the invitation, want none: everybody was dealt with", n)
	}
	checkAccessible(t, b.ctx, "invite-users-summary-requested")
	b.key("\x1b")
	signOut(b)

	// The Tenant Admin approves both on Activity, Access requests.
	signIn(b, a.app, "ada@acme.test")
	b.navigate(a.srv.URL + "/activity?tab=requests")
	b.waitFor("two pending requests", `document.querySelectorAll("#requests-rows tr").length === 2`)
	// The fourth session is behind "and 1 more": opened, all four show.
	eval[bool](b, `(document.querySelectorAll("#requests-rows details").forEach(d => { d.open = true; }), true)`)
	rows := eval[[]string](b, `Array.from(document.querySelectorAll("#requests-rows tr")).map(tr => Array.from(tr.cells).slice(1, 5).map(c => c.innerText.replace(/\s+/g, " ").trim()).join(" | "))`)
	for _, contact := range []string{"uma@example.test", "vic@example.test"} {
		want := contact + " | Sara Admin | Collaborate | Tip sync #1, Tip sync #2, Tip sync #3 and 1 more Tip sync #4"
		if !slices.Contains(rows, want) {
			t.Errorf("the requests read %q, want a row %q", rows, want)
		}
	}
	b.click("checkbox", "Select uma@example.test")
	b.screenshot("activity-access-requests")
	checkAccessible(t, b.ctx, "activity-access-requests")
	b.click("checkbox", "Select vic@example.test")
	b.waitFor("2 selected", `document.getElementById("requests-selected").textContent === "2 selected"`)
	b.click("button", "Approve")
	b.waitFor("the result", `document.querySelector("#requests-result .notice-ok")?.textContent.startsWith("Approved 2 requests")`)
	b.waitFor("none pending", `document.getElementById("requests-state").textContent.includes("No access requests")`)
	checkAccessible(t, b.ctx, "activity-access-requests-approved")
	b.do("show the granted ones", setSelect("#requests-status", "granted"))
	b.waitFor("two granted", `document.querySelectorAll("#requests-rows tr").length === 2 && !document.querySelector("#requests-rows input")`)
	signOut(b)

	// Each gets a link by email, chooses a password and finds the four sessions.
	for _, addr := range []string{"uma@example.test", "vic@example.test"} {
		a.setPasswordFrom(b, addr)
		waitTitles(b, a.tips...)
		signOut(b)
	}
	vic, err := a.Store.FindUserByLogin(a.Sys(), "vic@example.test")
	if err != nil || vic.Name != "Vic Stone" || vic.Role != convene.RoleMember {
		t.Errorf("vic = %+v, %v; want the member Vic Stone", vic, err)
	}
}

// setSelect chooses value in the <select> css and fires its change event.
func setSelect(css, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event("change")); })()`, css, value))
}

// TestBrowserRegisterAndAdd: a Tenant Admin is offered "Register them and
// add them", whose hint no longer sends them to their Tenant Admin; the
// two people are registered (a name from "Name <addr>"), added to both
// sessions and get a set-password link each. With guests turned off the
// guest choice is not offered.
func TestBrowserRegisterAndAdd(t *testing.T) {
	a := newTipApp(t)
	b := newBrowser(t, 1280, 900)
	signIn(b, a.app, "ada@acme.test")
	two := a.tips[2:]
	openInvite(b, two, "lee@acme.test, nora@example.test, Otto Park <otto@example.test>", 3)
	b.waitFor("the choice for the unregistered", `!document.getElementById("invite-unregistered").hidden`)
	if got, want := eval[[]string](b, unregisteredChoices), []string{"Skip them", "Ask the Tenant Admin to register them", "Register them and add them", "Invite them as guests"}; !slices.Equal(got, want) {
		t.Errorf("a Tenant Admin is offered %q, want %q", got, want)
	}
	if hint := eval[string](b, `document.querySelector("dialog[open] .chip-hint").textContent`); strings.Contains(strings.ToLower(hint), "ask your tenant admin") {
		t.Errorf("the hint tells a Tenant Admin to ask their Tenant Admin: %q", hint)
	}
	b.click("radio", "Register them and add them")
	waitPreview(b, "6 new, 0 upgraded, 0 already have access, 2 to register")
	checkAccessible(t, b.ctx, "invite-users-register")
	b.click("button", "Add Users")
	b.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	if got, want := eval[[]string](b, summaryTiles), []string{"6added", "0upgraded", "0unchanged", "0skipped", "2registered now"}; !slices.Equal(got, want) {
		t.Errorf("summary counts = %q, want %q", got, want)
	}
	if got, want := groupEntries(b, "granted:registered_now"), []string{"nora@example.testTip sync #3, Tip sync #4", "Otto Park <otto@example.test>Tip sync #3, Tip sync #4"}; !slices.Equal(got, want) {
		t.Errorf("registered and added: %q, want %q", got, want)
	}
	if got, want := groupEntries(b, "granted:registered"), []string{"Lee ChanTip sync #3, Tip sync #4"}; !slices.Equal(got, want) {
		t.Errorf("added: %q, want %q", got, want)
	}
	checkAccessible(t, b.ctx, "invite-users-summary-registered")
	b.key("\x1b")
	signOut(b)
	a.setPasswordFrom(b, "otto@example.test")
	waitTitles(b, two...)
	if got := eval[string](b, `document.querySelector(".me-text")?.textContent || ""`); !strings.HasPrefix(got, "Otto Park") {
		t.Errorf("signed in as %q, want Otto Park", got)
	}
	signOut(b)

	// Guests turned off: the choice is gone.
	no := false
	if _, err := a.Store.UpdateTenant(storetest.As(a.Admin), convene.TenantUpdate{GuestsAllowed: &no}); err != nil {
		t.Fatal(err)
	}
	signIn(b, a.app, "ada@acme.test")
	openInvite(b, a.tips[:1], "pia@example.test", 1)
	if got, want := eval[[]string](b, unregisteredChoices), []string{"Skip them", "Ask the Tenant Admin to register them", "Register them and add them"}; !slices.Equal(got, want) {
		t.Errorf("without guests a Tenant Admin is offered %q, want %q", got, want)
	}
}

// grantClipboard lets the page at origin read and write the clipboard, as
// a person allowing it would, so that "Copy skipped" can be checked.
func grantClipboard(origin string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			_, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
				Permission: &cdpbrowser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true}, Setting: cdpbrowser.PermissionSettingGranted, Origin: origin})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// TestBrowserInviteSummaryAtScale pastes 1,007 entries (900 registered,
// two of them twice, 90 not registered, 10 invalid, and 5 past the cap of
// 1,000) for three sessions: the field says 5 were left out, the preview
// and the summary count with thousands separators, the summary lists what
// was left out first, grouped, copies the 105 skipped entries and
// downloads the 2,700 pairs.
func TestBrowserInviteSummaryAtScale(t *testing.T) {
	a := newApp(t)
	var entries, registered []string
	rows := make([]convene.ImportRow, 900) // registered in one transaction
	for i := range rows {
		rows[i] = convene.ImportRow{Row: i + 2, Name: fmt.Sprintf("Person %03d", i), Email: fmt.Sprintf("p%03d@acme.test", i), Role: convene.RoleMember}
		registered = append(registered, rows[i].Email)
	}
	if _, err := a.Store.ImportUsers(a.Sys(), rows, false); err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	entries = append(entries, registered...)
	entries = append(entries, registered[0], registered[1]) // listed twice
	var skipped []string
	for i := range 90 {
		skipped = append(skipped, fmt.Sprintf("u%03d@example.test", i))
	}
	for i := range 10 {
		skipped = append(skipped, fmt.Sprintf("bad%d@", i))
	}
	for i := range 5 {
		skipped = append(skipped, fmt.Sprintf("late%d@example.test", i))
	}
	entries = append(entries, skipped...)

	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	three := sessionTitles[len(sessionTitles)-3:]
	openInvite(b, three, strings.Join(entries, "\n"), 1000)
	b.waitFor("the cap said", `Array.from(document.querySelectorAll("dialog[open] .chip-problems li")).some(li => li.textContent === "At most 1,000 people at a time: 5 more entries were left out.")`)
	waitPreview(b, "2,700 new, 0 upgraded, 0 already have access, 90 skipped")
	b.click("button", "Add Users")
	b.waitFor("the summary", `!document.getElementById("invite-result").hidden`)
	if got, want := eval[[]string](b, summaryTiles), []string{"2,700added", "0upgraded", "0unchanged", "90skipped"}; !slices.Equal(got, want) {
		t.Errorf("summary counts = %q, want %q", got, want)
	}
	groups := eval[[]string](b, `Array.from(document.querySelectorAll("#invite-result details")).map(d => d.dataset.group + " " + d.querySelector("summary").textContent + (d.open ? " open" : ""))`)
	wantGroups := []string{
		"skipped:not registered Not registered90",
		"invalid Invalid: not an email address or a phone number10 open",
		"left-out Left out: at most 1,000 people at a time5 open",
		"merged Listed twice: merged into one2 open",
		"granted:registered Added to 3 sessions900",
	}
	if !slices.Equal(groups, wantGroups) {
		t.Errorf("summary groups = %q, want %q", groups, wantGroups)
	}
	if got := groupEntries(b, "merged"); !slices.Equal(got, []string{"p000@acme.testsame person as p000@acme.test", "p001@acme.testsame person as p001@acme.test"}) {
		t.Errorf("merged entries %q", got)
	}
	if got := groupEntries(b, "granted:registered"); len(got) != 900 || got[0] != "Person 000"+strings.Join(three, ", ") {
		t.Errorf("%d people added, the first %q", len(got), got[0])
	}

	b.do("allow the clipboard", grantClipboard(a.srv.URL))
	b.click("button", "Copy skipped")
	b.waitFor("copied", `document.querySelector("#invite-result .summary-actions").textContent.endsWith("Copied 105 entries.")`)
	clip := evalAwait[string](b, `navigator.clipboard.readText()`)
	if got := strings.Split(clip, "\n"); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(skipped))) {
		t.Errorf("the clipboard holds %d lines, want the %d skipped entries", len(got), len(skipped))
	}

	csv := evalAwait[string](b, `(async () => { const a = Array.from(document.querySelectorAll("#invite-result a")).find(a => a.textContent === "Download CSV"); return (await fetch(a.href)).text(); })()`)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if lines[0] != "contact,status,user_id,session_id,session_title,outcome,reason" {
		t.Errorf("CSV header %q", lines[0])
	}
	added := 0
	for _, l := range lines {
		if strings.Contains(l, ",added,") {
			added++
		}
	}
	if added != 2700 {
		t.Errorf("the CSV has %d added pairs, want 2,700", added)
	}
	// Under axe as a person finds it: the long groups closed again, which
	// drops their lists.
	b.waitFor("the long lists dropped", `(document.querySelectorAll("#invite-result details").forEach(d => { d.open = d.querySelector("summary").textContent.match(/\d+$/)[0] <= 20; }),
		document.querySelectorAll("#invite-result details li").length === 17)`)
	b.screenshot("invite-users-summary-at-scale")
	checkAccessible(t, b.ctx, "invite-users-summary-at-scale")
}

// TestBrowserAccessRequestsPagedAndDeclined: 27 requests are two pages on
// Activity's Access requests tab; ticking across both pages and pressing
// Decline declines exactly those, which the Declined filter then lists,
// with no checkboxes.
func TestBrowserAccessRequestsPagedAndDeclined(t *testing.T) {
	a := newApp(t)
	budget := a.sessionIDs["Budget review"]
	var contacts []string
	for i := range 27 {
		contacts = append(contacts, fmt.Sprintf("r%02d@example.test", i))
	}
	a.Grant(t, a.Admin, convene.GrantRequest{SessionIDs: []int64{budget, a.sessionIDs["Team retro #31"]}, Contacts: contacts, Access: convene.AccessView, Unregistered: convene.UnregisteredRequest})
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.navigate(a.srv.URL + "/activity?tab=requests")
	b.waitFor("a page of 25", `document.querySelectorAll("#requests-rows tr").length === 25`)
	if got := eval[string](b, `document.querySelector("#requests-rows tr").cells[4].textContent`); got != "Budget review, Team retro #31" {
		t.Errorf("a request's sessions read %q", got)
	}
	if got := eval[string](b, `document.querySelector("#requests-rows tr").cells[3].textContent`); got != "View only" {
		t.Errorf("a request's access reads %q", got)
	}
	first := eval[string](b, `document.querySelector("#requests-rows tr").cells[1].textContent`)
	b.click("checkbox", "Select "+first)
	b.click("button", "Next page")
	b.waitFor("the last 2", `document.querySelectorAll("#requests-rows tr").length === 2 && document.getElementById("requests-page").textContent === "Page 2"`)
	last := eval[string](b, `document.querySelector("#requests-rows tr:last-child").cells[1].textContent`)
	b.click("checkbox", "Select "+last)
	b.waitFor("2 selected across pages", `document.getElementById("requests-selected").textContent === "2 selected"`)
	checkAccessible(t, b.ctx, "activity-access-requests-page-2")
	b.click("button", "Decline")
	both := slices.Sorted(slices.Values([]string{first, last}))
	b.waitFor("the result", `document.querySelector("#requests-result .notice-ok")?.textContent === "Declined 2 requests: `+both[0]+` and `+both[1]+`."`)
	b.waitFor("25 of 25 left, first page", `document.querySelectorAll("#requests-rows tr").length === 25 && document.getElementById("requests-page").textContent === "Page 1"`)
	b.do("show the declined ones", setSelect("#requests-status", "declined"))
	b.waitFor("the two declined", `document.querySelectorAll("#requests-rows tr").length === 2 && !document.querySelector("#requests-rows input") && document.getElementById("requests-approve").hidden`)
	got := eval[[]string](b, `Array.from(document.querySelectorAll("#requests-rows tr")).map(tr => tr.cells[1].textContent)`)
	if want := []string{first + "Declined", last + "Declined"}; !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Errorf("declined rows %q, want %q", got, want)
	}
	checkAccessible(t, b.ctx, "activity-access-requests-declined")
}
