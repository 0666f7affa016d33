package web_test

import (
	"net/http"
	"testing"
)

func init() {
	matrix = append(matrix, row{route{"GET", "/api/v1/users/{id}/sessions"}, func(e *env) (string, any) {
		e.session()
		return "/api/v1/users/" + id(e.users["viewer"].ID) + "/sessions?limit=1", nil
	}, [10]int{ok200, f403, f403, f403, f403, f403, f403, u401, n404, u401}})
}

type pageJSON struct {
	Items      []map[string]any `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

// TestMembersSearchAndPage: a session's members by page and by search,
// and a person's sessions with their access (contract section 15).
func TestMembersSearchAndPage(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session() // the owner, collab, guest and viewer
	var first, rest, found pageJSON
	e.do("sadmin", "GET", "/api/v1/sessions/"+id(s.ID)+"/members?limit=3", nil).decode(t, &first)
	if len(first.Items) != 3 || first.NextCursor == nil {
		t.Fatalf("first page: %d members, next %v; want 3 and a cursor", len(first.Items), first.NextCursor)
	}
	e.do("sadmin", "GET", "/api/v1/sessions/"+id(s.ID)+"/members?limit=3&cursor="+*first.NextCursor, nil).decode(t, &rest)
	if len(rest.Items) != 1 || rest.NextCursor != nil {
		t.Errorf("second page: %d members, next %v; want the last one", len(rest.Items), rest.NextCursor)
	}
	e.do("owner", "GET", "/api/v1/sessions/"+id(s.ID)+"/members?q=VIEWER", nil).decode(t, &found)
	if len(found.Items) != 1 || found.Items[0]["access"] != "view" {
		t.Errorf("q=VIEWER: %v, want the viewer alone", found.Items)
	}
	wantProblem(t, e.do("owner", "GET", "/api/v1/sessions/"+id(s.ID)+"/members?limit=501", nil), http.StatusUnprocessableEntity, "limit 501")
	wantProblem(t, e.do("owner", "GET", "/api/v1/sessions/"+id(s.ID)+"/members?cursor=zzz", nil), http.StatusUnprocessableEntity, "bad cursor")

	e.session()
	var sessions pageJSON
	e.do("admin", "GET", "/api/v1/users/"+id(e.users["viewer"].ID)+"/sessions", nil).decode(t, &sessions)
	if len(sessions.Items) != 2 || sessions.Items[0]["access"] != "view" || sessions.NextCursor != nil {
		t.Errorf("the viewer's sessions: %v, want two with view", sessions.Items)
	}
	wantProblem(t, e.do("admin", "GET", "/api/v1/users/424242/sessions", nil), http.StatusNotFound, "unknown user")
}
