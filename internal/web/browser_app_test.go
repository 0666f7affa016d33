package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"convene"
	"convene/internal/phone"
	"convene/internal/sqlite"
	"convene/internal/storetest"
	"convene/internal/web"

	"convene/internal/api/apicheck"
)

const testPassword = "correct horse battery"

// app is a running server with one tenant, "acme": Tenant Admin Ada, a few
// people to invite (Jane by email, Phil by phone only, Sam), and 32
// sessions owned by Ada, so that All Sessions has two pages.
type app struct {
	*storetest.Fixture // tenant acme, Ada its admin
	t                  *testing.T
	srv                *httptest.Server

	jane, phil, sam *convene.User

	sessionIDs map[string]int64 // by title
}

// sessionTitles, oldest first: "Budget review" is the oldest, so that it is
// on the second page until someone searches for it.
var sessionTitles = func() []string {
	titles := []string{"Budget review"}
	topics := []string{"Roadmap sync", "Design critique", "Hiring loop", "Customer call", "Incident review", "Sprint planning", "Launch prep", "Team retro"}
	for i := 1; len(titles) < 32; i++ {
		titles = append(titles, fmt.Sprintf("%s #%d", topics[i%len(topics)], i))
	}
	return titles
}()

// newAcme returns an app (without its server yet) on a fresh SQLite store
// holding tenant "acme" and Ada, its Tenant Admin, with a password.
func newAcme(t *testing.T) *app {
	t.Helper()
	a := &app{t: t, sessionIDs: map[string]int64{}}
	a.Fixture = storetest.AddTenantWith(t, sqlite.OpenTestDB(t),
		&convene.Tenant{Slug: "acme", Name: "Acme Corp", DefaultRegion: "US", GuestsAllowed: true, InvitationTTL: convene.DefaultInvitationTTL},
		&convene.User{Name: "Ada Admin", Email: "ada@acme.test", Role: convene.RoleAdmin})
	a.SetPassword(t, a.Admin, testPassword)
	return a
}

// newApp is the app with its people and sessions, served with the
// defaults changed by opts.
func newApp(t *testing.T, opts ...func(*web.Config)) *app {
	t.Helper()
	a := newAcme(t)
	a.jane = a.user("Jane Doe", "jane@acme.test", "", convene.RoleMember)
	a.phil = a.user("Phil Ortiz", "", "+12125550100", convene.RoleMember)
	a.sam = a.user("Sam Lee", "sam@acme.test", "", convene.RoleMember)
	for _, title := range sessionTitles {
		s := &convene.Session{Title: title, Description: "Weekly check-in of the " + strings.ToLower(title) + " group."}
		if err := a.Store.CreateSession(storetest.As(a.Admin), s); err != nil {
			t.Fatalf("CreateSession(%s): %v", title, err)
		}
		a.sessionIDs[title] = s.ID
	}
	a.serve(opts...)
	return a
}

// serve starts the app's server, with the defaults changed by opts.
func (a *app) serve(opts ...func(*web.Config)) {
	cfg := web.Config{Phones: phone.Numbering{}, Logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&cfg)
	}
	a.srv = httptest.NewServer(web.New(a.Store, cfg).Handler())
	a.t.Cleanup(a.srv.Close)
}

// user registers a user of acme with testPassword.
func (a *app) user(name, email, phoneNumber string, role convene.Role) *convene.User {
	a.t.Helper()
	u := a.User(a.t, name, email, phoneNumber, role)
	a.SetPassword(a.t, u, testPassword)
	return u
}

// apiClient is an HTTP client signed in through the API as login.
type apiClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (a *app) apiAs(login string) *apiClient {
	a.t.Helper()
	c := &apiClient{t: a.t, base: a.srv.URL, c: apicheck.Client(a.t, &http.Client{Jar: newJar()})}
	c.call("POST", "/api/v1/auth/login", map[string]string{"tenant": a.Tenant.Slug, "login": login, "password": testPassword}, nil)
	return c
}

// call sends a JSON request and decodes the answer into out; any status but
// 2xx fails the test.
func (c *apiClient) call(method, path string, body, out any) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		c.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: decoding %s: %v", method, path, data, err)
		}
	}
}

// grants returns, for every session of the tenant, the access of each of
// users who is a member: "title/name" -> access.
func (c *apiClient) grants(a *app, users ...*convene.User) map[string]string {
	c.t.Helper()
	names := map[string]string{}
	for _, u := range users {
		names[fmt.Sprint(u.ID)] = u.Name
	}
	got := map[string]string{}
	for title, id := range a.sessionIDs {
		var members struct {
			Items []struct {
				User   struct{ ID string } `json:"user"`
				Access string              `json:"access"`
			} `json:"items"`
		}
		c.call("GET", fmt.Sprintf("/api/v1/sessions/%d/members", id), nil, &members)
		for _, m := range members.Items {
			if name, ok := names[m.User.ID]; ok {
				got[title+"/"+name] = m.Access
			}
		}
	}
	return got
}

func newJar() http.CookieJar {
	jar, _ := cookiejar.New(nil)
	return jar
}
