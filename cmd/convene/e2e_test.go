package main_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestEndToEnd is the "Done when": the built binary serves the
// contract on SQLite and on PostgreSQL, from a tenant made by the CLI to a
// graceful stop.
func TestEndToEnd(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { walkThrough(t, newDB(t)) })
	t.Run("PostgreSQL", func(t *testing.T) { walkThrough(t, postgresDB(t)) })
}

func walkThrough(t *testing.T, db string) {
	mustRun(t, nil, "tenant", "create", "--db", db, "--slug", "acme", "--name", "Acme Inc.",
		"--admin-email", "admin@acme.test", "--admin-name", "Ada Admin", "--admin-password", "admin-pass-123")
	srv := startServer(t, db)
	admin := newAPI(t, srv.url)

	status, out, hdr := admin.call("POST", "/api/v1/auth/login", obj{"tenant": "acme", "login": "admin@acme.test", "password": "wrong-password"})
	admin.problem(status, http.StatusUnauthorized, out, hdr, "login with a wrong password")
	admin.must("POST", "/api/v1/auth/login", obj{"tenant": "acme", "login": "ADMIN@acme.test", "password": "admin-pass-123"}, 200)

	jane := id(admin.must("POST", "/api/v1/users", obj{"email": "jane@acme.test", "name": "Jane Doe", "role": "member"}, 200, 201)["id"])
	carol := id(admin.must("POST", "/api/v1/users", obj{"phone": "+1 212 555 0142", "name": "Carol Field", "role": "member"}, 200, 201)["id"])
	s1 := admin.must("POST", "/api/v1/sessions", obj{"title": "Q3 Roadmap Review", "description": "plans"}, 201)["id"]
	s2 := admin.must("POST", "/api/v1/sessions", obj{"title": "Hiring Plan Kickoff"}, 201)["id"]

	checkResolve(t, admin)
	batch := checkMultiInvite(t, admin, s1, s2)
	checkAccessSwitch(t, admin, id(s1), jane, carol)
	checkAudit(t, admin, batch)

	token := strings.TrimSpace(mustRun(t, nil, "token", "create", "--db", db, "--tenant", "acme", "--user", "admin@acme.test").stdout)
	bot := newAPI(t, srv.url)
	status, out, hdr = bot.call("GET", "/api/v1/sessions", nil)
	bot.problem(status, http.StatusUnauthorized, out, hdr, "sessions without credentials")
	bot.bearer = token
	if got := items(bot.must("GET", "/api/v1/sessions?q=roadmap", nil, 200)); len(got) != 1 || got[0]["title"] != "Q3 Roadmap Review" {
		t.Errorf("sessions?q=roadmap with the CLI's token = %v, want the one roadmap session", got)
	}
	srv.stop()
}

// checkResolve resolves one pasted list with every status of contract §4.
func checkResolve(t *testing.T, c *api) {
	t.Helper()
	out := c.must("POST", "/api/v1/contacts/resolve", obj{"input": "JANE@acme.test, +1 (212) 555-0142; nobody@acme.test\nbob@, jane@acme.test"}, 200)
	raw, _ := out["entries"].([]any)
	var got []string
	for _, e := range raw {
		got = append(got, id(get(e.(obj), "status")))
	}
	want := []string{"registered", "registered", "unregistered", "invalid", "duplicate"}
	if !slices.Equal(got, want) {
		t.Errorf("resolve statuses = %v, want %v (%v)", got, want, out)
	}
	if n := get(raw[1].(obj), "normalized"); n != "+12125550142" {
		t.Errorf("resolved phone normalized = %v, want +12125550142", n)
	}
}

// checkMultiInvite invites without and with an Idempotency-Key, replays,
// and reuses the key with another body; it returns the keyed batch's id.
func checkMultiInvite(t *testing.T, c *api, s1, s2 any) string {
	t.Helper()
	first := c.must("POST", "/api/v1/invitations/bulk", obj{"session_ids": []any{s1}, "contacts": "jane@acme.test", "access": "view"}, 200)
	if got := get(first, "counts", "added"); got != 1.0 {
		t.Errorf("first invite counts = %v, want added 1", first["counts"])
	}
	body := obj{"session_ids": []any{s1, s2}, "contacts": []string{"jane@acme.test", "+12125550142", "nobody@acme.test"}, "access": "collaborate"}
	status, second, _ := c.call("POST", "/api/v1/invitations/bulk", body, "Idempotency-Key", "e2e-key-1")
	if status != 200 {
		t.Fatalf("keyed invite: status %d (%v)", status, second)
	}
	wantCounts := obj{"added": 3.0, "upgraded": 1.0, "unchanged": 0.0, "skipped": 1.0}
	if got, _ := second["counts"].(obj); !mapsEqual(got, wantCounts) {
		t.Errorf("keyed invite counts = %v, want %v", got, wantCounts)
	}
	status, replay, _ := c.call("POST", "/api/v1/invitations/bulk", body, "Idempotency-Key", "e2e-key-1")
	if status != 200 || replay["batch_id"] != second["batch_id"] || !mapsEqual(replay["counts"].(obj), wantCounts) {
		t.Errorf("replay: status %d, batch %v counts %v; want 200, batch %v counts %v", status, replay["batch_id"], replay["counts"], second["batch_id"], wantCounts)
	}
	other := obj{"session_ids": []any{s1}, "contacts": "jane@acme.test", "access": "view"}
	status, out, hdr := c.call("POST", "/api/v1/invitations/bulk", other, "Idempotency-Key", "e2e-key-1")
	c.problem(status, http.StatusConflict, out, hdr, "same Idempotency-Key, other body")
	batch := id(second["batch_id"])
	again := c.must("GET", "/api/v1/invitations/batches/"+batch, nil, 200)
	if again["batch_id"] != second["batch_id"] {
		t.Errorf("GET batch %s answered batch %v", batch, again["batch_id"])
	}
	return batch
}

// checkAccessSwitch switches jane view <-> collaborate and removes carol.
func checkAccessSwitch(t *testing.T, c *api, session, jane, carol string) {
	t.Helper()
	base := "/api/v1/sessions/" + session + "/members"
	if got := members(t, c, base); got[jane] != "collaborate" || got[carol] != "collaborate" || len(got) != 3 {
		t.Fatalf("members after invites = %v, want owner, jane and carol collaborating", got)
	}
	for _, access := range []string{"view", "collaborate", "view"} {
		c.must("PUT", base+"/"+jane, obj{"access": access}, 200)
		if got := members(t, c, base)[jane]; got != access {
			t.Errorf("jane's access after PUT %s = %q", access, got)
		}
	}
	c.must("DELETE", base+"/"+carol, nil, 200, 204)
	if got := members(t, c, base); got[carol] != "" || len(got) != 2 {
		t.Errorf("members after removing carol = %v", got)
	}
}

// members returns user id -> access of a session's members.
func members(t *testing.T, c *api, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range items(c.must("GET", path, nil, 200)) {
		out[id(get(m, "user", "id"))] = id(m["access"])
	}
	return out
}

// checkAudit reads the audit log back: the batch's additions, the access
// changes and the removal, newest first.
func checkAudit(t *testing.T, c *api, batch string) {
	t.Helper()
	all := items(c.must("GET", "/api/v1/audit?limit=100", nil, 200))
	var actions []string
	for _, e := range all {
		actions = append(actions, id(e["action"]))
	}
	for _, want := range []string{"member.added", "member.upgraded", "member.access_changed", "member.removed"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit lacks %s: %v", want, actions)
		}
	}
	if len(actions) > 0 && actions[0] != "member.removed" {
		t.Errorf("newest audit event = %s, want member.removed", actions[0])
	}
	inBatch := items(c.must("GET", "/api/v1/audit?batch="+batch, nil, 200))
	if len(inBatch) != 4 {
		t.Errorf("audit?batch=%s has %d events, want 4 (3 added, 1 upgraded)", batch, len(inBatch))
	}
	for _, e := range inBatch {
		if id(e["batch_id"]) != batch {
			t.Errorf("audit?batch=%s returned event of batch %v", batch, e["batch_id"])
		}
	}
}

func mapsEqual(a, b obj) bool {
	if len(a) < len(b) {
		return false
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}
