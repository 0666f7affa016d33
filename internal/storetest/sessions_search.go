package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"convene"
)

// searchBounded is a store whose session search walks and counts within
// bounds a test may lower, to reach its index and its cap with few rows.
type searchBounded interface {
	SetSearchBounds(walk, totalCap int)
}

// searchTitles mixes non-ASCII case, LIKE's wildcards, FTS5's quotes and
// texts shorter than a trigram.
var searchTitles = []string{
	"Ärger im BÜRO", "ärgerlich", "Alpha 100% done", "ALPHABET", "snake_case", `Say "hi"`,
	"İstanbul trip", "ab", "Weekly planning", "planning poker", "Straße", "ÉTÉ été",
}

func testSessionSearch(t *testing.T, open Opener) {
	for _, walk := range []int{1, 3, 0} {
		t.Run(fmt.Sprintf("walk%d", walk), func(t *testing.T) { testSearchAgreesWithFold(t, open, walk) })
	}
	t.Run("RenameAndDelete", func(t *testing.T) { testSearchFollowsTitles(t, open) })
	t.Run("TotalPerCaller", func(t *testing.T) { testSearchTotalPerCaller(t, open) })
	t.Run("TotalCapped", func(t *testing.T) { testSearchTotalCapped(t, open) })
}

// wantSearch is what a search for q must find among byID's titles,
// newest (highest id, in creation order) first: Go's fold, substring.
func wantSearch(titles map[int64]string, q string) []int64 {
	var want []int64
	for id, title := range titles {
		if strings.Contains(strings.ToLower(title), strings.ToLower(q)) {
			want = append(want, id)
		}
	}
	slices.Sort(want)
	slices.Reverse(want)
	return want
}

// testSearchAgreesWithFold checks every search against Go's folding, page by
// page, whether the walk (walk rows long; 0: the default) or the index
// finds the matches.
func testSearchAgreesWithFold(t *testing.T, open Opener, walk int) {
	f := newFixture(t, open)
	if b, ok := f.store.(searchBounded); ok {
		b.SetSearchBounds(walk, 0)
	}
	titles := map[int64]string{}
	for _, title := range searchTitles {
		titles[f.session(t, f.admin, title).ID] = title
	}
	queries := []string{"ärger", "ÄRGER", "büro", "Ä", "ä", "ab", "a", "%", "_", `"`, `"hi"`, "100%",
		"İstanbul", "i̇st", "STRASSE", "straße", "été", "ÉTÉ", "planning", "PLAN", "nothing", "e_c", "zz"}
	for _, q := range queries {
		want := wantSearch(titles, q)
		for _, limit := range []int{1, 2, 25} {
			if got := f.findSessions(t, f.admin, q, limit); !slices.Equal(got, want) {
				t.Errorf("search %q, %d a page: %v, want %v", q, limit, got, want)
			}
		}
		f.wantTotal(t, f.admin, q, len(want), false)
	}
}

// wantTotal checks CountSessions for actor and q.
func (f *fixture) wantTotal(t *testing.T, actor *convene.User, q string, want int, capped bool) {
	t.Helper()
	total, more, err := f.store.CountSessions(as(actor), convene.SessionFilter{Query: q})
	if err != nil || total != want || more != capped {
		t.Errorf("CountSessions(%q) as %s = %d, %v, %v; want %d, %v", q, actor.Name, total, more, err, want, capped)
	}
}

// testSearchFollowsTitles renames and deletes sessions: the index keeps step.
func testSearchFollowsTitles(t *testing.T, open Opener) {
	f := newFixture(t, open)
	if b, ok := f.store.(searchBounded); ok {
		b.SetSearchBounds(1, 0)
	}
	alpha := f.session(t, f.admin, "Alpha review")
	beta := f.session(t, f.admin, "Beta review")
	renamed := "Gamma Überblick"
	if _, err := f.store.UpdateSession(as(f.admin), alpha.ID, convene.SessionUpdate{Title: &renamed}); err != nil {
		t.Fatalf("UpdateSession: %v", err)
	}
	if err := f.store.DeleteSession(as(f.admin), beta.ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	for _, tt := range []struct {
		q    string
		want []int64
	}{{"alpha", nil}, {"review", nil}, {"beta", nil}, {"gamma", []int64{alpha.ID}}, {"überblick", []int64{alpha.ID}}, {"ÜB", []int64{alpha.ID}}} {
		if got := f.findSessions(t, f.admin, tt.q, 0); !slices.Equal(got, tt.want) {
			t.Errorf("search %q after rename and delete: %v, want %v", tt.q, got, tt.want)
		}
		f.wantTotal(t, f.admin, tt.q, len(tt.want), false)
	}
}

// testSearchTotalPerCaller counts what each caller may see: a member only
// their own sessions, admins the tenant's, never another tenant's.
func testSearchTotalPerCaller(t *testing.T, open Opener) {
	f := newFixture(t, open)
	other := addTenant(t, f.store, "globex")
	olga := f.user(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	sara := f.user(t, "Sara", "sara@acme.test", "", convene.RoleSessionAdmin)
	f.session(t, olga, "Olga planning")
	f.session(t, f.admin, "Admin planning")
	invited := f.session(t, f.admin, "Invited planning")
	f.grant(t, f.admin, convene.GrantRequest{SessionIDs: []int64{invited.ID}, Contacts: []string{olga.Email}, Access: convene.AccessView})
	other.session(t, other.admin, "Globex planning")
	for _, tt := range []struct {
		actor *convene.User
		q     string
		want  int
	}{{olga, "planning", 2}, {olga, "", 2}, {olga, "admin", 0}, {olga, "in", 2}, {sara, "planning", 3}, {f.admin, "", 3}, {f.admin, "globex", 0}, {f.admin, "pl", 3}} {
		f.wantTotal(t, tt.actor, tt.q, tt.want, false)
	}
}

// testSearchTotalCapped counts up to the cap and says when more match.
func testSearchTotalCapped(t *testing.T, open Opener) {
	f := newFixture(t, open)
	b, ok := f.store.(searchBounded)
	if !ok {
		t.Skip("the store's search has no bounds to lower")
	}
	b.SetSearchBounds(0, 3)
	for i := range 4 {
		f.session(t, f.admin, fmt.Sprintf("Retro %d", i))
	}
	f.wantTotal(t, f.admin, "retro", 3, true)
	f.wantTotal(t, f.admin, "", 3, true)
	f.wantTotal(t, f.admin, "retro 1", 1, false)
	f.wantTotal(t, f.admin, "o", 3, true)
}
