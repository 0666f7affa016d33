package web_test

import (
	"slices"
	"testing"
)

// wantFieldError waits for the field with this id to be marked invalid and
// fails the test unless the message it is described by last reads want.
func wantFieldError(b *browser, id, want string) {
	b.t.Helper()
	b.waitFor("the error of "+id, `document.getElementById("`+id+`").getAttribute("aria-invalid") === "true"`)
	msg := eval[string](b, `document.getElementById(document.getElementById("`+id+`").getAttribute("aria-describedby").split(" ").pop()).textContent`)
	if msg != want {
		b.t.Errorf("the error of %s reads %q, want %q", id, msg, want)
	}
}

// TestBrowserSettings: the Tenant Admin finds Settings in the navigation,
// sees the API's refusal of a bad region next to its field, sets a phone
// alias domain, and a pasted <digits>@<domain> then resolves in Invite
// Users as the person with that phone number. A member gets no link and
// no page.
func TestBrowserSettings(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.click("link", "Settings")
	b.waitRole("heading", "Workspace settings")
	b.waitFor("the settings loaded", `document.getElementById("settings-form").getAttribute("aria-busy") === "false"`)
	if got := eval[string](b, `document.getElementById("settings-region").value`); got != "US" {
		t.Errorf("Default region shows %q, want US", got)
	}
	checkAccessible(t, b.ctx, "Settings")

	// A region without phone numbers: the API's message, by the field.
	b.do("clear the region", clearField("#settings-region"))
	b.typeInto("textbox", "Default region", "XX")
	b.click("button", "Save settings")
	wantFieldError(b, "settings-region", "XX is not a region with phone numbers: use a code such as US or DE")
	checkAccessible(t, b.ctx, "Settings with an error")

	// The alias domain, saved.
	b.do("clear the region", clearField("#settings-region"))
	b.typeInto("textbox", "Default region", "US")
	b.typeInto("textbox", "Phone alias domain", "alias.example")
	b.click("button", "Save settings")
	b.waitFor("saved", `document.querySelector("#settings-status .notice-ok")?.textContent.includes("saved")`)
	b.screenshot("settings")
	var tenant struct {
		Alias  string `json:"phone_alias_domain"`
		Region string `json:"default_region"`
	}
	a.apiAs("ada@acme.test").call("GET", "/api/v1/tenant", nil, &tenant)
	if tenant.Alias != "alias.example" || tenant.Region != "US" {
		t.Errorf("the tenant after saving: %+v, want alias.example and US", tenant)
	}

	// Pasted as <digits>@<domain>, Phil's number resolves to Phil.
	b.click("link", "Sessions")
	b.waitFor("the first page", `document.querySelectorAll("#session-rows tr:not(.skeleton)").length > 0`)
	b.click("checkbox", "Select "+sessionTitles[len(sessionTitles)-1])
	b.click("button", "Invite User")
	b.waitRole("dialog", "Invite Users")
	b.waitFor("focus in the contacts field", `document.activeElement.id === "invite-contacts"`)
	eval[bool](b, pasteJS("12125550100@alias.example"))
	b.waitFor("a resolved chip", `document.querySelectorAll("dialog[open] .chip").length === 1 && !document.querySelector("dialog[open] .chip--pending")`)
	if chips := eval[[]string](b, chipsJS); !slices.Equal(chips, []string{"registered:Phil Ortiz+12125550100"}) {
		t.Errorf("the alias resolved to %q, want Phil Ortiz", chips)
	}
	b.key("\x1b")
	b.navigate(a.srv.URL + "/account")
	b.waitRole("heading", "Your account")
	checkAccessible(t, b.ctx, "Your account")

	// A member: no link, and the page refuses.
	signOut(b)
	b.navigate(a.srv.URL + "/settings")
	b.waitRole("button", "Sign in")
	b.typeInto("textbox", "Email or phone", "sam@acme.test")
	b.typeInto("textbox", "Password", testPassword)
	b.click("button", "Sign in")
	b.waitRole("heading", "Only Tenant Admins can see this page")
	if n := eval[int](b, `document.querySelectorAll(".mainnav a[href='/settings']").length`); n != 0 {
		t.Errorf("a member's navigation links to Settings")
	}
	checkAccessible(t, b.ctx, "Settings refused")
}

// TestBrowserNotFound: an unknown address shows the dashboard's own page,
// with a title, the page's language and (signed in) the navigation.
func TestBrowserNotFound(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, 1280, 900)
	b.navigate(a.srv.URL + "/no/such/page")
	b.waitRole("heading", "Page not found")
	checkAccessible(t, b.ctx, "404 signed out")
	signIn(b, a, "ada@acme.test")
	b.navigate(a.srv.URL + "/sessions/of-nobody/extra")
	b.waitRole("heading", "Page not found")
	if got := eval[string](b, `document.title + " | " + document.documentElement.lang`); got != "Page not found · Convene | en" {
		t.Errorf("title and language %q", got)
	}
	b.waitRole("navigation", "Main")
	b.screenshot("not-found")
	checkAccessible(t, b.ctx, "404")
}
