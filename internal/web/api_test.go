package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"convene"
)

func TestResolveContacts(t *testing.T) {
	e := newEnv(t, unlimited)
	r := e.do("member", "POST", "/api/v1/contacts/resolve", map[string]string{
		"input": "Owner@ACME.test, \"Doe, Jane\" <viewer@acme.test>; OWNER@acme.test\n+1 (202) 555-0100 bob@ disabled@acme.test other@globex.test",
	})
	wantStatus(t, r, http.StatusOK, "resolve")
	var got struct {
		Entries []struct {
			Input, Kind, Normalized, Status string
			User                            *struct{ ID, Name, AvatarURL string } `json:"user"`
		}
	}
	r.decode(t, &got)
	want := []struct{ status, normalized string }{
		{"registered", "owner@acme.test"}, {"registered", "viewer@acme.test"}, {"duplicate", "owner@acme.test"},
		{"unregistered", "+12025550100"}, {"invalid", ""}, {"disabled", "disabled@acme.test"}, {"unregistered", "other@globex.test"},
	}
	if len(got.Entries) != len(want) {
		t.Fatalf("entries %s", r.body)
	}
	for i, w := range want {
		g := got.Entries[i]
		if g.Status != w.status || g.Normalized != w.normalized {
			t.Errorf("entry %d %q: %s %q, want %s %q", i, g.Input, g.Status, g.Normalized, w.status, w.normalized)
		}
	}
	if u := got.Entries[0].User; u == nil || u.ID != id(e.users["owner"].ID) {
		t.Errorf("registered entry without its user: %s", r.body)
	}
	wantStatus(t, e.do("member", "POST", "/api/v1/contacts/resolve", map[string]any{"contacts": []string{"a@acme.test", "b, c"}}), http.StatusOK, "as a list")
	wantProblem(t, e.do("member", "POST", "/api/v1/contacts/resolve", map[string]any{}), http.StatusUnprocessableEntity, "neither input nor contacts")
}

func TestSessionsAndMembers(t *testing.T) {
	e := newEnv(t, unlimited)
	r := e.do("owner", "POST", "/api/v1/sessions", map[string]string{"title": "Design review", "description": "weekly"})
	wantStatus(t, r, http.StatusCreated, "create")
	var s struct {
		ID, Title string
		MyAccess  *string `json:"my_access"`
		Owner     struct{ ID string }
	}
	r.decode(t, &s)
	if s.Title != "Design review" || s.MyAccess == nil || *s.MyAccess != "owner" || s.Owner.ID != id(e.users["owner"].ID) {
		t.Errorf("created %s", r.body)
	}
	if loc := r.header.Get("Location"); loc != "/api/v1/sessions/"+s.ID {
		t.Errorf("Location %q", loc)
	}
	list := e.do("owner", "GET", "/api/v1/sessions?q=DESIGN", nil)
	var page struct {
		Items      []map[string]any
		NextCursor *string `json:"next_cursor"`
	}
	list.decode(t, &page)
	if len(page.Items) != 1 || page.Items[0]["id"] != s.ID {
		t.Errorf("search answered %s", list.body)
	}
	// A Session Admin adds a member by id (an owner may not: they invite);
	// then the owner lowers and raises their access.
	member := id(e.users["member"].ID)
	path := "/api/v1/sessions/" + s.ID + "/members/" + member
	wantProblem(t, e.do("owner", "PUT", path, map[string]string{"access": "view"}), http.StatusNotFound, "owner adds by id")
	wantStatus(t, e.do("sadmin", "PUT", path, map[string]string{"access": "view"}), http.StatusOK, "add as viewer")
	wantProblem(t, e.do("member", "PATCH", "/api/v1/sessions/"+s.ID, map[string]string{"title": "x"}), http.StatusForbidden, "viewer edits")
	wantStatus(t, e.do("owner", "PUT", path, map[string]string{"access": "collaborate"}), http.StatusOK, "raise")
	wantStatus(t, e.do("owner", "PUT", path, map[string]string{"access": "view"}), http.StatusOK, "lower")
	wantProblem(t, e.do("owner", "PUT", path, map[string]string{"access": "owner"}), http.StatusUnprocessableEntity, "owner is no grantable access")
	wantProblem(t, e.do("owner", "PUT", "/api/v1/sessions/"+s.ID+"/members/"+id(e.users["other"].ID), map[string]string{"access": "view"}), http.StatusNotFound, "another tenant's user")
	members := e.do("member", "GET", "/api/v1/sessions/"+s.ID+"/members", nil)
	var ms struct {
		Items []struct {
			User   struct{ ID string }
			Access string
		}
	}
	members.decode(t, &ms)
	if len(ms.Items) != 2 || ms.Items[0].Access != "owner" || ms.Items[1].User.ID != member || ms.Items[1].Access != "view" {
		t.Errorf("members %s", members.body)
	}
}

func TestUsersAndTenant(t *testing.T) {
	e := newEnv(t, unlimited)
	r := e.do("admin", "POST", "/api/v1/users", map[string]string{"name": "Jane Doe", "email": "Jane.Doe@ACME.test", "phone": "202 555 0199"})
	wantStatus(t, r, http.StatusCreated, "create user")
	var u struct {
		ID, Email, Phone, Role string
		AvatarURL              string `json:"avatar_url"`
	}
	r.decode(t, &u)
	if u.Email != "jane.doe@acme.test" || u.Phone != "+12025550199" || u.Role != "member" || u.AvatarURL != "/avatars/"+u.ID {
		t.Errorf("created %s", r.body)
	}
	if got := setPasswordJobs(t, e); got != 1 {
		t.Errorf("%d set-password messages queued for the new user, want 1", got)
	}
	wantProblem(t, e.do("admin", "POST", "/api/v1/users", map[string]string{"name": "Again", "email": "jane.doe@acme.test"}), http.StatusConflict, "taken email")
	wantProblem(t, e.do("admin", "POST", "/api/v1/users", map[string]string{"name": "Nobody"}), http.StatusUnprocessableEntity, "no contact")
	wantProblem(t, e.do("admin", "POST", "/api/v1/users", map[string]string{"name": "Bad", "email": "bob@"}), http.StatusUnprocessableEntity, "bad email")
	wantProblem(t, e.do("admin", "POST", "/api/v1/users", map[string]string{"name": "Short", "email": "s@acme.test", "password": "short"}), http.StatusUnprocessableEntity, "short password")

	tr := e.do("admin", "PATCH", "/api/v1/tenant", map[string]any{"default_region": "de", "invitation_ttl_hours": 48, "phone_alias_domain": "Collaborate.Center"})
	wantStatus(t, tr, http.StatusOK, "patch tenant")
	var ten struct {
		DefaultRegion      string `json:"default_region"`
		PhoneAliasDomain   string `json:"phone_alias_domain"`
		InvitationTTLHours int    `json:"invitation_ttl_hours"`
		GuestsAllowed      bool   `json:"guests_allowed"`
	}
	tr.decode(t, &ten)
	if ten.DefaultRegion != "DE" || ten.InvitationTTLHours != 48 || ten.PhoneAliasDomain != "collaborate.center" || !ten.GuestsAllowed {
		t.Errorf("tenant %s", tr.body)
	}
	wantProblem(t, e.do("admin", "PATCH", "/api/v1/tenant", map[string]any{"default_region": "Germany"}), http.StatusUnprocessableEntity, "bad region")
	// A code of the right shape that no country has: numbers without a
	// country code could then never be read (convene tenant create refuses it too).
	wantProblem(t, e.do("admin", "PATCH", "/api/v1/tenant", map[string]any{"default_region": "XX"}), http.StatusUnprocessableEntity, "unknown region")
	if tr := e.do("admin", "GET", "/api/v1/tenant", nil); !strings.Contains(string(tr.body), `"default_region":"DE"`) {
		t.Errorf("tenant after a refused region: %s", tr.body)
	}
	wantProblem(t, e.do("admin", "PATCH", "/api/v1/tenant", map[string]any{"invitation_ttl_hours": 0}), http.StatusUnprocessableEntity, "ttl 0")

	// Guests never see the directory, not even one entry of it.
	wantProblem(t, e.do("guest", "GET", "/api/v1/users/"+id(e.users["owner"].ID), nil), http.StatusNotFound, "guest reads a user")
	wantStatus(t, e.do("guest", "GET", "/api/v1/users/"+id(e.users["guest"].ID), nil), http.StatusOK, "guest reads themself")
}

func TestAudit(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	b := e.grant(s.ID, convene.AccessView, e.users["member"], e.users["sadmin"])
	r := e.do("admin", "GET", "/api/v1/audit?batch="+id(b.ID), nil)
	wantStatus(t, r, http.StatusOK, "audit by batch")
	var page struct {
		Items []struct {
			ID, At, Action string
			BatchID        *string `json:"batch_id"`
			SessionID      *string `json:"session_id"`
		}
		NextCursor *string `json:"next_cursor"`
	}
	r.decode(t, &page)
	if len(page.Items) != 2 {
		t.Fatalf("audit %s", r.body)
	}
	for _, it := range page.Items {
		if it.BatchID == nil || *it.BatchID != id(b.ID) || it.SessionID == nil || *it.SessionID != id(s.ID) {
			t.Errorf("event %+v", it)
		}
	}
	all := e.do("admin", "GET", "/api/v1/audit?session="+id(s.ID)+"&limit=1", nil)
	all.decode(t, &page)
	if len(page.Items) != 1 || page.NextCursor == nil {
		t.Errorf("first page %s", all.body)
	}
	newest := page.Items[0].ID
	next := e.do("admin", "GET", "/api/v1/audit?session="+id(s.ID)+"&limit=1&cursor="+*page.NextCursor, nil)
	next.decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID >= newest && len(page.Items[0].ID) >= len(newest) {
		t.Errorf("second page %s after %s: want older events", next.body, newest)
	}
	wantProblem(t, e.do("admin", "GET", "/api/v1/audit?user=abc", nil), http.StatusUnprocessableEntity, "bad user filter")
	other := e.do("other", "GET", "/api/v1/audit?session="+id(s.ID), nil)
	other.decode(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("another tenant's admin sees %s", other.body)
	}
}

// setPasswordJobs counts the set-password messages queued in acme.
func setPasswordJobs(t *testing.T, e *env) int {
	t.Helper()
	jobs, err := e.fx.Store.FindJobs(convene.NewSystemContext(context.Background(), e.fx.Tenant.ID), convene.JobFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range jobs {
		if j.Kind == convene.JobSetPassword {
			n++
		}
	}
	return n
}
