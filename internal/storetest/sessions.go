package storetest

import (
	"fmt"
	"slices"
	"testing"

	"convene"
)

func testSessions(t *testing.T, open Opener) {
	t.Run("Create", func(t *testing.T) { testCreateSession(t, open) })
	t.Run("Visibility", func(t *testing.T) { testSessionVisibility(t, open) })
	t.Run("Query", func(t *testing.T) { testSessionQuery(t, open) })
	t.Run("Paging", func(t *testing.T) { testSessionPaging(t, open) })
	t.Run("UpdateDelete", func(t *testing.T) { testSessionUpdateDelete(t, open) })
	t.Run("DeletedIDsStayDead", func(t *testing.T) { testDeletedIDsStayDead(t, open) })
	t.Run("Search", func(t *testing.T) { testSessionSearch(t, open) })
}

// samePage checks that FindSessionsPage answers filter with FindSessions'
// page and cursor and CountSessions' total.
func (f *Fixture) samePage(t testing.TB, actor *convene.User, filter convene.SessionFilter, page []*convene.Session, next string) {
	t.Helper()
	got, err := f.Store.FindSessionsPage(As(actor), filter)
	if err != nil {
		t.Fatalf("FindSessionsPage(%+v): %v", filter, err)
	}
	total, capped, err := f.Store.CountSessions(As(actor), filter)
	if err != nil {
		t.Fatalf("CountSessions(%+v): %v", filter, err)
	}
	if !slices.Equal(ids(got.Sessions), ids(page)) || got.NextCursor != next || got.Total != total || got.TotalCapped != capped {
		t.Errorf("FindSessionsPage(%+v) = %v next %q total %d capped %v; want %v next %q total %d capped %v",
			filter, ids(got.Sessions), got.NextCursor, got.Total, got.TotalCapped, ids(page), next, total, capped)
	}
}

// findSessions lists every session ctx's actor sees for query, page by page.
func (f *Fixture) findSessions(t testing.TB, actor *convene.User, query string, limit int) []int64 {
	t.Helper()
	var got []int64
	filter := convene.SessionFilter{Query: query, Limit: limit}
	for range 1000 {
		page, next, err := f.Store.FindSessions(As(actor), filter)
		if err != nil {
			t.Fatalf("FindSessions(%+v): %v", filter, err)
		}
		if limit > 0 && len(page) > limit {
			t.Errorf("FindSessions: page of %d, want at most %d", len(page), limit)
		}
		for _, s := range page {
			got = append(got, s.ID)
		}
		f.samePage(t, actor, filter, page, next)
		if next == "" {
			return got
		}
		filter.Cursor = next
	}
	t.Fatalf("FindSessions(%+v): cursor never ends", filter)
	return nil
}

func testCreateSession(t *testing.T, open Opener) {
	f := newFixture(t, open)
	olga := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	s := f.Session(t, olga, "Planning")
	if s.ID == 0 || s.OwnerID != olga.ID || s.TenantID != f.Tenant.ID || s.CreatedAt.IsZero() {
		t.Errorf("CreateSession filled in %+v, want id, owner %d, tenant %d, created_at", s, olga.ID, f.Tenant.ID)
	}
	if got, want := f.Access(t, s.ID), map[int64]convene.Access{olga.ID: convene.AccessOwner}; !mapsEqual(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	got, err := f.Store.FindSessionByID(As(olga), s.ID)
	if err != nil {
		t.Fatalf("FindSessionByID: %v", err)
	}
	if got.Title != "Planning" || got.MyAccess != convene.AccessOwner || got.MemberCount != 1 {
		t.Errorf("FindSessionByID = title %q my_access %q members %d, want Planning owner 1", got.Title, got.MyAccess, got.MemberCount)
	}
	guest := f.User(t, "Gus", "gus@acme.test", "", convene.RoleGuest)
	wantCode(t, f.Store.CreateSession(As(guest), &convene.Session{Title: "Mine"}), convene.EFORBIDDEN)
	wantCode(t, f.Store.CreateSession(As(olga), &convene.Session{Title: "  "}), convene.EINVALID)
}

func testSessionVisibility(t *testing.T, open Opener) {
	f := newFixture(t, open)
	olga := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	sara := f.User(t, "Sara", "sara@acme.test", "", convene.RoleSessionAdmin)
	own := f.Session(t, olga, "Olga's")
	invited := f.Session(t, f.Admin, "Invited to")
	hidden := f.Session(t, f.Admin, "Hidden")
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{invited.ID}, Contacts: []string{olga.Email}, Access: convene.AccessView})

	tests := []struct {
		name  string
		actor *convene.User
		want  []int64
	}{
		{"Member", olga, []int64{invited.ID, own.ID}},
		{"SessionAdmin", sara, []int64{hidden.ID, invited.ID, own.ID}},
		{"TenantAdmin", f.Admin, []int64{hidden.ID, invited.ID, own.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.findSessions(t, tt.actor, "", 0); !slices.Equal(got, tt.want) {
				t.Errorf("FindSessions = %v, want %v", got, tt.want)
			}
		})
	}
	_, err := f.Store.FindSessionByID(As(olga), hidden.ID)
	wantCode(t, err, convene.ENOTFOUND)
	_, err = f.Store.Members(As(olga), hidden.ID)
	wantCode(t, err, convene.ENOTFOUND)
}

func testSessionQuery(t *testing.T, open Opener) {
	f := newFixture(t, open)
	titles := []string{"Alpha 100% done", "Alpha 1000 done", "snake_case", "snakeXcase", "Back\\slash", "ALPHABET", "Ärger im BÜRO"}
	byTitle := map[string]int64{}
	for _, title := range titles {
		byTitle[title] = f.Session(t, f.Admin, title).ID
	}
	tests := []struct {
		query string
		want  []string // newest first
	}{
		{"alpha", []string{"ALPHABET", "Alpha 1000 done", "Alpha 100% done"}},
		{"100%", []string{"Alpha 100% done"}},
		{"E_C", []string{"snake_case"}},
		{"%", []string{"Alpha 100% done"}},
		{"_", []string{"snake_case"}},
		{"k\\s", []string{"Back\\slash"}},
		{"nothing", nil},
		// Case is ignored beyond ASCII too (contract section 5).
		{"ärger", []string{"Ärger im BÜRO"}},
		{"büro", []string{"Ärger im BÜRO"}},
		{"ÄRGER IM", []string{"Ärger im BÜRO"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.query), func(t *testing.T) {
			var want []int64
			for _, title := range tt.want {
				want = append(want, byTitle[title])
			}
			if got := f.findSessions(t, f.Admin, tt.query, 0); !slices.Equal(got, want) {
				t.Errorf("FindSessions(%q) = %v, want %v", tt.query, got, want)
			}
		})
	}
}

func testSessionPaging(t *testing.T, open Opener) {
	f := newFixture(t, open)
	ss := f.Sessions(t, f.Admin, 11)
	want := ids(ss)
	slices.Reverse(want)
	for _, limit := range []int{1, 3, 5, 11, 100} {
		if got := f.findSessions(t, f.Admin, "", limit); !slices.Equal(got, want) {
			t.Errorf("limit %d: pages give %v, want %v (every session once, newest first)", limit, got, want)
		}
	}
}

func mapsEqual[K, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
