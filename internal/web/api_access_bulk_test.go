package web_test

import (
	"net/http"
	"testing"

	"convene"
)

func init() {
	matrix = append(matrix, row{route{"POST", "/api/v1/access/bulk"}, func(e *env) (string, any) {
		s := e.session()
		return "/api/v1/access/bulk", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "collab@acme.test", "action": "view"}
	}, [10]int{ok200, ok200, f403, f403, f403, f403, f403, u401, n404, u401}})
	moreWriteRoutes = append(moreWriteRoutes, func(e *env) []writeRoute {
		s := e.session()
		return []writeRoute{{route: route{"POST", "/api/v1/access/bulk"},
			body:     map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "collab@acme.test", "action": "view"},
			required: []string{"session_ids", "contacts", "action"}}}
	})
}

// TestBulkAccessChange: POST /api/v1/access/bulk lowers, raises and
// removes across sessions, never the owner, answers the batch shape, is
// idempotent, reads back as a batch and undoes (contract section 15).
func TestBulkAccessChange(t *testing.T) {
	e := newEnv(t, unlimited)
	s1, s2 := e.session(), e.session()
	body := map[string]any{"session_ids": []string{id(s1.ID), id(s2.ID)}, "contacts": "collab@acme.test, viewer@acme.test, owner@acme.test, member@acme.test", "action": "view"}
	r := e.do("sadmin", "POST", "/api/v1/access/bulk", body, "Idempotency-Key", "a1")
	wantStatus(t, r, http.StatusOK, "bulk access")
	var b batchJSON
	r.decode(t, &b)
	if want := (convene.Counts{Changed: 2, Unchanged: 2, Owner: 2, NotMember: 2}); b.Counts != want || b.Access != "view" {
		t.Fatalf("answer %s, want counts %+v", r.body, want)
	}
	if got := b.Results[0].Sessions; len(got) != 2 || got[0].Outcome != "changed" || b.Results[2].Sessions[0].Outcome != "owner" {
		t.Errorf("pairs %s", r.body)
	}
	wantAuditOfChange(t, e, b.BatchID, e.users["collab"].ID, s1.ID, s2.ID)
	after := e.snapshot(t)
	again := e.do("sadmin", "POST", "/api/v1/access/bulk", body, "Idempotency-Key", "a1")
	var b2 batchJSON
	again.decode(t, &b2)
	if b2.BatchID != b.BatchID {
		t.Errorf("replay answered %s: want batch %s again", again.body, b.BatchID)
	}
	e.wantNoWrites(t, after, "the replay")
	body["action"] = "remove"
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/access/bulk", body, "Idempotency-Key", "a1"), http.StatusConflict, "same key, other body")
	pairs := e.do("sadmin", "GET", "/api/v1/invitations/batches/"+b.BatchID+"/pairs?limit=3", nil)
	wantStatus(t, pairs, http.StatusOK, "pairs of an access change")

	undo := e.do("sadmin", "POST", "/api/v1/invitations/batches/"+b.BatchID+"/undo", nil)
	wantStatus(t, undo, http.StatusOK, "undo")
	var u struct {
		Counts convene.UndoCounts `json:"counts"`
	}
	undo.decode(t, &u)
	if want := (convene.UndoCounts{Restored: 2}); u.Counts != want {
		t.Errorf("undo %s, want counts %+v", undo.body, want)
	}
	if after.Changes(e.snapshot(t)) == "" {
		t.Error("the undo changed nothing")
	}

	before := e.snapshot(t)
	for name, bad := range map[string]map[string]any{
		"no action":   {"session_ids": []string{id(s1.ID)}, "contacts": "collab@acme.test"},
		"bad action":  {"session_ids": []string{id(s1.ID)}, "contacts": "collab@acme.test", "action": "owner"},
		"both":        {"session_ids": []string{id(s1.ID)}, "session_query": map[string]string{"q": ""}, "contacts": "collab@acme.test", "action": "remove"},
		"neither":     {"contacts": "collab@acme.test", "action": "remove"},
		"invalid one": {"session_ids": []string{id(s1.ID)}, "contacts": "collab@acme.test, bob@", "action": "remove"},
	} {
		wantProblem(t, e.do("sadmin", "POST", "/api/v1/access/bulk", bad), http.StatusUnprocessableEntity, name)
	}
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/access/bulk", map[string]any{"session_ids": []string{"424242"}, "contacts": "collab@acme.test", "action": "remove"}), http.StatusNotFound, "unknown session")
	e.wantNoWrites(t, before, "a refused access change")
	byQuery := e.do("admin", "POST", "/api/v1/access/bulk", map[string]any{"session_query": map[string]string{"q": "session"}, "contacts": "viewer@acme.test", "action": "remove"})
	wantStatus(t, byQuery, http.StatusOK, "by query")
}

// wantAuditOfChange checks the audit of the access change batch, which
// lowered only user from collaborate to view in sessions: one event per
// pair, each with the access before, and every page of one event.
func wantAuditOfChange(t *testing.T, e *env, batch string, user int64, sessions ...int64) {
	t.Helper()
	type event struct {
		ID, Action, Before, After string
		SessionID                 *string `json:"session_id"`
		UserID                    *string `json:"user_id"`
		BatchID                   *string `json:"batch_id"`
	}
	var page struct {
		Items      []event
		NextCursor *string `json:"next_cursor"`
	}
	var got []event
	for path := "/api/v1/audit?limit=1&batch=" + batch; ; path = "/api/v1/audit?limit=1&batch=" + batch + "&cursor=" + *page.NextCursor {
		r := e.do("admin", "GET", path, nil)
		wantStatus(t, r, http.StatusOK, "audit of the access change")
		page.Items, page.NextCursor = nil, nil // decoding into the old values would write through their pointers
		r.decode(t, &page)
		got = append(got, page.Items...)
		if page.NextCursor == nil || len(got) > len(sessions) {
			break
		}
	}
	if len(got) != len(sessions) {
		t.Fatalf("audit of batch %s: %+v, want one event in each of %d sessions", batch, got, len(sessions))
	}
	seen := map[string]bool{}
	for i, ev := range got {
		ok := ev.Action == convene.AuditAccessChanged && ev.Before == "collaborate" && ev.After == "view" &&
			ev.UserID != nil && *ev.UserID == id(user) && ev.BatchID != nil && *ev.BatchID == batch && ev.SessionID != nil && !seen[*ev.SessionID]
		if !ok || (i > 0 && got[i-1].ID == ev.ID) {
			t.Errorf("audit event %d of batch %s: %+v", i, batch, ev)
		}
		if ev.SessionID != nil {
			seen[*ev.SessionID] = true
		}
	}
	for _, s := range sessions {
		if !seen[id(s)] {
			t.Errorf("audit of batch %s: no event in session %d", batch, s)
		}
	}
}
