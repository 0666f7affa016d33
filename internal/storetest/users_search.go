package storetest

import (
	"slices"
	"strings"
	"testing"

	"convene"
)

// testUserSearch checks the directory search against Go's folding, for
// texts shorter and longer than a trigram, in names, emails and phones,
// before and after a rename, and never across tenants.
func testUserSearch(t *testing.T, open Opener) {
	f := newFixture(t, open)
	other := AddTenant(t, f.Store, "globex")
	other.User(t, "Ärger Globex", "arger@globex.test", "", convene.RoleMember)
	people := map[int64][3]string{f.Admin.ID: {f.Admin.Name, f.Admin.Email, f.Admin.Phone}}
	for _, p := range [][3]string{
		{"Ärger Özdemir", "oz@acme.test", ""}, {"Jane 100% Doe", "jane_doe@acme.test", "+12025550143"},
		{"STRASSE Straße", "sam@acme.test", ""}, {`Say "hi"`, "hi@acme.test", "+12025550199"},
	} {
		people[f.User(t, p[0], p[1], p[2], convene.RoleMember).ID] = p
	}
	renamed := f.User(t, "Old Name", "renamed@acme.test", "", convene.RoleMember)
	newName := "Ümit Neu"
	if _, err := f.Store.UpdateUser(As(f.Admin), renamed.ID, convene.UserUpdate{Name: &newName}); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	people[renamed.ID] = [3]string{newName, renamed.Email, ""}
	for _, q := range []string{"ärger", "ÄRGER", "öz", "ö", "100%", "%", "_doe", "_", "5550143", "+1202", `"hi"`, "straße", "STRASSE",
		"old name", "ümit", "ÜMIT NEU", "acme.test", "globex", "nothing"} {
		if got, want := f.searchUsers(t, q), wantUsers(people, q); !slices.Equal(got, want) {
			t.Errorf("FindUsers(%q) = %v, want %v", q, got, want)
		}
	}
}

// searchUsers returns the ids the directory search finds for q, in id order.
func (f *Fixture) searchUsers(t *testing.T, q string) []int64 {
	t.Helper()
	page, _, err := f.Store.FindUsers(As(f.Admin), convene.UserFilter{Query: q, Limit: 100})
	if err != nil {
		t.Fatalf("FindUsers(%q): %v", q, err)
	}
	var ids []int64
	for _, u := range page {
		ids = append(ids, u.ID)
	}
	slices.Sort(ids)
	return ids
}

// wantUsers is what a search for q must find among people's texts: Go's
// fold, substring of the name, the email or the phone.
func wantUsers(people map[int64][3]string, q string) []int64 {
	var want []int64
	for id, texts := range people {
		if slices.ContainsFunc(texts[:], func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(q)) }) {
			want = append(want, id)
		}
	}
	slices.Sort(want)
	return want
}
