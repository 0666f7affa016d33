package web_test

import (
	"convene/internal/storetest"
	"encoding/json"
	"net/http"
	"testing"

	"convene"
)

func init() {
	matrix = append(matrix, row{route{"POST", "/api/v1/invitations/batches/{batch_id}/undo"}, onBatch("/undo"),
		[10]int{ok200, ok200, n404, n404, n404, n404, n404, u401, n404, u401}})

	moreWriteRoutes = append(moreWriteRoutes, func(e *env) []writeRoute {
		s := e.session()
		b := e.grant(s.ID, convene.AccessView, e.fresh(convene.RoleMember))
		return []writeRoute{{route: route{"POST", "/api/v1/invitations/batches/{batch_id}/undo"}, params: map[string]string{"batch_id": id(b.ID)}}}
	})
}

// undoAnswer is the JSON of POST .../undo.
type undoAnswer struct {
	BatchID     string             `json:"batch_id"`
	UndoneAt    string             `json:"undone_at"`
	Counts      convene.UndoCounts `json:"counts"`
	PairsInline bool               `json:"pairs_inline"`
	Results     []struct {
		Input    string             `json:"input"`
		UserID   string             `json:"user_id"`
		Counts   convene.UndoCounts `json:"counts"`
		Sessions []struct {
			SessionID string `json:"session_id"`
			Outcome   string `json:"outcome"`
		} `json:"sessions"`
	} `json:"results"`
}

func TestUndoBatch(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	viewer, added, kept := e.users["viewer"], e.fresh(convene.RoleMember), e.fresh(convene.RoleMember)
	r := e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s.ID)},
		"contacts": []string{added.Email, viewer.Email, kept.Email, "nobody@acme.test"}, "access": "collaborate"})
	wantStatus(t, r, http.StatusOK, "multi-invite")
	var batch struct {
		BatchID  string          `json:"batch_id"`
		UndoneAt json.RawMessage `json:"undone_at"`
	}
	r.decode(t, &batch)
	if string(batch.UndoneAt) != "null" {
		t.Errorf("undone_at of a fresh batch = %s, want null", batch.UndoneAt)
	}
	// Changed since, by hand: the undo must keep it.
	if _, err := e.fx.Store.SetAccess(storetest.As(e.users["owner"]), s.ID, kept.ID, convene.AccessView); err != nil {
		t.Fatalf("SetAccess: %v", err)
	}
	path := "/api/v1/invitations/batches/" + batch.BatchID + "/undo"
	wantProblem(t, e.do("admin", "POST", path, map[string]string{"x": "y"}), http.StatusUnprocessableEntity, "undo with a body")
	wantProblem(t, e.do("owner", "POST", path, nil), http.StatusNotFound, "undo by the session's owner, who did not make the batch")

	r = e.do("admin", "POST", path, nil)
	wantStatus(t, r, http.StatusOK, "undo")
	var got undoAnswer
	r.decode(t, &got)
	if want := (convene.UndoCounts{Removed: 1, Downgraded: 1, Kept: 1}); got.Counts != want || !got.PairsInline || got.BatchID != batch.BatchID || got.UndoneAt == "" {
		t.Errorf("undo answer = %s; want counts %+v, pairs inline, the batch id and a time", r.body, want)
	}
	outcomes := map[string]string{}
	for _, res := range got.Results {
		for _, p := range res.Sessions {
			outcomes[res.UserID+"/"+p.SessionID] = p.Outcome
		}
	}
	wantOutcomes := map[string]string{id(added.ID) + "/" + id(s.ID): "removed", id(viewer.ID) + "/" + id(s.ID): "downgraded", id(kept.ID) + "/" + id(s.ID): "kept"}
	if len(got.Results) != 3 || len(outcomes) != 3 || outcomes[id(added.ID)+"/"+id(s.ID)] != "removed" ||
		outcomes[id(viewer.ID)+"/"+id(s.ID)] != "downgraded" || outcomes[id(kept.ID)+"/"+id(s.ID)] != "kept" {
		t.Errorf("undo outcomes %v (%d results), want %v in 3 results", outcomes, len(got.Results), wantOutcomes)
	}
	access := accessBy(t, e, s.ID)
	if _, ok := access[added.ID]; ok || access[viewer.ID] != convene.AccessView || access[kept.ID] != convene.AccessView {
		t.Errorf("access after undo = %v: want the added person gone, the viewer and the hand-changed one at view", access)
	}

	r = e.do("sadmin", "GET", "/api/v1/invitations/batches/"+batch.BatchID, nil)
	wantStatus(t, r, http.StatusOK, "the batch after undo")
	var after struct {
		UndoneAt *string `json:"undone_at"`
	}
	r.decode(t, &after)
	if after.UndoneAt == nil || *after.UndoneAt != got.UndoneAt {
		t.Errorf("undone_at of the batch = %v, want %q", after.UndoneAt, got.UndoneAt)
	}
	p := wantProblem(t, e.do("sadmin", "POST", path, nil), http.StatusConflict, "a second undo")
	if p.Detail != "this batch was already undone" {
		t.Errorf("second undo: detail %q, want %q", p.Detail, "this batch was already undone")
	}
	wantProblem(t, e.do("admin", "POST", "/api/v1/invitations/batches/999999/undo", nil), http.StatusNotFound, "undo of an unknown batch")
}
