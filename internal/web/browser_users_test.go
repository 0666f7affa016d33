package web_test

import (
	"testing"
)

// TestBrowserUsersPage: a Tenant Admin searches the directory, adds a user
// and disables one.
func TestBrowserUsersPage(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.click("link", "Users")
	b.waitRole("button", "Disable Jane Doe")
	b.typeInto("searchbox", "Search users", "sam")
	b.waitFor("only Sam", `Array.from(document.querySelectorAll("#user-rows .person-name")).map(e => e.textContent).join() === "Sam Lee"`)
	b.do("clear search", clearField("#user-search"))
	b.waitRole("button", "Disable Jane Doe")

	b.click("button", "Add user")
	b.waitRole("dialog", "Add a user")
	checkAccessible(t, b.ctx, "the Add user dialog")
	b.typeInto("textbox", "Name", "Nina New")
	b.typeInto("textbox", "Email (or a phone)", "nina@acme.test")
	b.click("button", "Create user")
	b.waitRole("combobox", "Role for Nina New")

	b.click("button", "Disable Sam Lee")
	b.waitRole("button", "Enable Sam Lee")
	b.screenshot("users")
	checkAccessible(t, b.ctx, "Users")

	var users struct {
		Items []struct {
			Name     string `json:"name"`
			Role     string `json:"role"`
			Disabled bool   `json:"disabled"`
		} `json:"items"`
	}
	a.apiAs("ada@acme.test").call("GET", "/api/v1/users", nil, &users)
	found := map[string]string{}
	for _, u := range users.Items {
		state := u.Role
		if u.Disabled {
			state += ",disabled"
		}
		found[u.Name] = state
	}
	if found["Nina New"] != "member" || found["Sam Lee"] != "member,disabled" {
		t.Errorf("after the page's changes: Nina %q, Sam %q; want member, member,disabled", found["Nina New"], found["Sam Lee"])
	}
}
