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
	if b, ok := f.Store.(searchBounded); ok {
		b.SetSearchBounds(walk, 0)
	}
	titles := map[int64]string{}
	for _, title := range searchTitles {
		titles[f.Session(t, f.Admin, title).ID] = title
	}
	queries := []string{"ärger", "ÄRGER", "büro", "Ä", "ä", "ab", "a", "%", "_", `"`, `"hi"`, "100%",
		"İstanbul", "i̇st", "STRASSE", "straße", "été", "ÉTÉ", "planning", "PLAN", "nothing", "e_c", "zz"}
	for _, q := range queries {
		want := wantSearch(titles, q)
		for _, limit := range []int{1, 2, 25} {
			if got := f.findSessions(t, f.Admin, q, limit); !slices.Equal(got, want) {
				t.Errorf("search %q, %d a page: %v, want %v", q, limit, got, want)
			}
		}
		f.wantTotal(t, f.Admin, q, len(want), false)
	}
}

// wantTotal checks CountSessions for actor and q.
func (f *Fixture) wantTotal(t *testing.T, actor *convene.User, q string, want int, capped bool) {
	t.Helper()
	total, more, err := f.Store.CountSessions(As(actor), convene.SessionFilter{Query: q})
	if err != nil || total != want || more != capped {
		t.Errorf("CountSessions(%q) as %s = %d, %v, %v; want %d, %v", q, actor.Name, total, more, err, want, capped)
	}
}

// testSearchFollowsTitles renames and deletes sessions: the index keeps step.
func testSearchFollowsTitles(t *testing.T, open Opener) {
	f := newFixture(t, open)
	if b, ok := f.Store.(searchBounded); ok {
		b.SetSearchBounds(1, 0)
	}
	alpha := f.Session(t, f.Admin, "Alpha review")
	beta := f.Session(t, f.Admin, "Beta review")
	renamed := "Gamma Überblick"
	if _, err := f.Store.UpdateSession(As(f.Admin), alpha.ID, convene.SessionUpdate{Title: &renamed}); err != nil {
		t.Fatalf("UpdateSession: %v", err)
	}
	if err := f.Store.DeleteSession(As(f.Admin), beta.ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	for _, tt := range []struct {
		q    string
		want []int64
	}{{"alpha", nil}, {"review", nil}, {"beta", nil}, {"gamma", []int64{alpha.ID}}, {"überblick", []int64{alpha.ID}}, {"ÜB", []int64{alpha.ID}}} {
		if got := f.findSessions(t, f.Admin, tt.q, 0); !slices.Equal(got, tt.want) {
			t.Errorf("search %q after rename and delete: %v, want %v", tt.q, got, tt.want)
		}
		f.wantTotal(t, f.Admin, tt.q, len(tt.want), false)
	}
}

// testSearchTotalPerCaller counts what each caller may see: a member only
// their own sessions, admins the tenant's, never another tenant's.
func testSearchTotalPerCaller(t *testing.T, open Opener) {
	f := newFixture(t, open)
	other := AddTenant(t, f.Store, "globex")
	olga := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	sara := f.User(t, "Sara", "sara@acme.test", "", convene.RoleSessionAdmin)
	f.Session(t, olga, "Olga planning")
	f.Session(t, f.Admin, "Admin planning")
	invited := f.Session(t, f.Admin, "Invited planning")
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{invited.ID}, Contacts: []string{olga.Email}, Access: convene.AccessView})
	other.Session(t, other.Admin, "Globex planning")
	for _, tt := range []struct {
		actor *convene.User
		q     string
		want  int
	}{{olga, "planning", 2}, {olga, "", 2}, {olga, "admin", 0}, {olga, "in", 2}, {sara, "planning", 3}, {f.Admin, "", 3}, {f.Admin, "globex", 0}, {f.Admin, "pl", 3}} {
		f.wantTotal(t, tt.actor, tt.q, tt.want, false)
	}
}

// testSearchTotalCapped counts up to the cap and says when more match.
func testSearchTotalCapped(t *testing.T, open Opener) {
	f := newFixture(t, open)
	b, ok := f.Store.(searchBounded)
	if !ok {
		t.Skip("the store's search has no bounds to lower")
	}
	b.SetSearchBounds(0, 3)
	for i := range 4 {
		f.Session(t, f.Admin, fmt.Sprintf("Retro %d", i))
	}
	f.wantTotal(t, f.Admin, "retro", 3, true)
	f.wantTotal(t, f.Admin, "", 3, true)
	f.findSessions(t, f.Admin, "", 2) // FindSessionsPage's total rides on its page's rows: capped too
	f.wantTotal(t, f.Admin, "", 3, true)
	f.wantTotal(t, f.Admin, "retro 1", 1, false)
	f.wantTotal(t, f.Admin, "o", 3, true)
}
