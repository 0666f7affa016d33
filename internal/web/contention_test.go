package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"

	"convene"
	"convene/internal/postgres"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
	"convene/internal/web"
)

// racers is how many calls race for one thing in the tests below.
const racers = 50

// race sends racers requests at once, request(i) for the i-th, and returns
// their statuses; a transport error counts as status 0.
func race(request func(i int) *http.Request) []int {
	statuses := make([]int, racers)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range racers {
		done.Go(func() {
			req := request(i)
			start.Wait()
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			defer res.Body.Close()
			_, _ = io.Copy(io.Discard, res.Body)
			statuses[i] = res.StatusCode
		})
	}
	start.Done()
	done.Wait()
	return statuses
}

// wantOnly fails t unless every status is one of allowed.
func wantOnly(t *testing.T, what string, statuses []int, allowed ...int) {
	t.Helper()
	for _, s := range statuses {
		if !slices.Contains(allowed, s) {
			t.Errorf("%s: statuses %v, want only %v", what, statuses, allowed)
			return
		}
	}
}

func count(statuses []int, status int) (n int) {
	for _, s := range statuses {
		if s == status {
			n++
		}
	}
	return n
}

// TestConcurrentAcceptsAcrossInstances: 50 accepts of one link, split over
// two instances with their own connection pools on one PostgreSQL
// database, give exactly one 200 and only real refusals otherwise.
func TestConcurrentAcceptsAcrossInstances(t *testing.T) {
	e := newEnvOn(t, postgres.OpenTestDB(t), unlimited)
	other := secondInstance(t, e)
	session, _, token := e.invitation()
	statuses := race(func(i int) *http.Request {
		req := e.request("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Racing Guest", "password": goodPassword})
		if i%2 == 1 {
			req = at(other, req)
		}
		return req
	})
	if count(statuses, http.StatusOK) != 1 {
		t.Errorf("statuses %v: want exactly one 200", statuses)
	}
	wantOnly(t, "racing accepts", statuses, http.StatusOK, http.StatusNotFound, http.StatusConflict, http.StatusGone)
	members, err := e.fx.Store.Members(storetest.As(e.users["owner"]), session.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(members); got != 5 { // owner, collab, guest, viewer and the one new guest
		t.Errorf("the session has %d members after the race, want 5", got)
	}
}

// secondInstance starts another web server for e's database, on a store of
// its own (its own connection pool), as a second process would be.
func secondInstance(t *testing.T, e *env) *httptest.Server {
	t.Helper()
	var name string
	if err := e.fx.Store.(*sqlstore.DB).ReadDB().QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(os.Getenv(postgres.TestURLEnv))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	store, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.SetClock(e.clock.Now)
	srv := httptest.NewServer(web.New(store, e.cfg).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// TestConcurrentContention: on both databases, calls racing for one
// idempotency key or one member answer their real outcomes, never 500.
func TestConcurrentContention(t *testing.T) {
	for name, open := range map[string]func(*testing.T) *env{
		"sqlite":   func(t *testing.T) *env { return newEnv(t, unlimited) },
		"postgres": func(t *testing.T) *env { return newEnvOn(t, postgres.OpenTestDB(t), unlimited) },
	} {
		t.Run(name+"/idempotency key", func(t *testing.T) { raceIdempotencyKey(t, open(t)) })
		t.Run(name+"/one member", func(t *testing.T) { raceOneMember(t, open(t)) })
	}
}

// raceIdempotencyKey sends one multi-invite 50 times at once under one
// key: every call answers the one batch.
func raceIdempotencyKey(t *testing.T, e *env) {
	s1, s2 := e.session(), e.session()
	body := map[string]any{"contacts": e.users["member"].Email + ", " + e.users["sadmin"].Email,
		"session_ids": []string{id(s1.ID), id(s2.ID)}, "access": "collaborate"}
	statuses := race(func(int) *http.Request {
		req := e.request("POST", "/api/v1/invitations/bulk", body, "Idempotency-Key", "race-1")
		req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
		return req
	})
	wantOnly(t, "racing replays", statuses, http.StatusOK)
	r := e.do("admin", "POST", "/api/v1/invitations/bulk", body, "Idempotency-Key", "race-1")
	var b struct {
		Counts map[string]int `json:"counts"`
	}
	r.decode(t, &b)
	if b.Counts["added"] != 4 {
		t.Errorf("the replayed batch counts %v, want 4 added", b.Counts)
	}
}

// raceOneMember has the owner switch one member's access and remove them,
// 50 calls at once.
func raceOneMember(t *testing.T, e *env) {
	s := e.session()
	path := fmt.Sprintf("/api/v1/sessions/%d/members/%d", s.ID, e.users["viewer"].ID)
	statuses := race(func(i int) *http.Request {
		var req *http.Request
		switch i % 3 {
		case 0:
			req = e.request("PUT", path, map[string]string{"access": "collaborate"})
		case 1:
			req = e.request("PUT", path, map[string]string{"access": "view"})
		default:
			req = e.request("DELETE", path, nil)
		}
		req.Header.Set("Authorization", "Bearer "+e.tokens["owner"])
		return req
	})
	wantOnly(t, "racing member changes", statuses, http.StatusOK, http.StatusNoContent, http.StatusNotFound)
	if count(statuses, http.StatusNoContent) != 1 {
		t.Errorf("statuses %v: want exactly one 204 (the member is removed once)", statuses)
	}
	members, err := e.fx.Store.Members(storetest.As(e.users["owner"]), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(members, func(m *convene.Membership) bool { return m.UserID == e.users["viewer"].ID }) {
		t.Error("the member is still there after a DELETE answered 204")
	}
}
