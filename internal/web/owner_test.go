package web_test

import (
	"convene/internal/storetest"
	"net/http"
	"testing"

	"convene"
)

func init() {
	matrix = append(matrix, row{route{"PUT", "/api/v1/sessions/{id}/owner"}, func(e *env) (string, any) {
		s := e.session()
		return "/api/v1/sessions/" + id(s.ID) + "/owner", map[string]string{"user_id": id(e.fresh(convene.RoleMember).ID)}
	}, [10]int{ok200, ok200, ok200, n404, f403, f403, f403, u401, n404, u401}})

	moreWriteRoutes = append(moreWriteRoutes, func(e *env) []writeRoute {
		s := e.session()
		return []writeRoute{{route: route{"PUT", "/api/v1/sessions/{id}/owner"}, params: map[string]string{"id": id(s.ID)},
			body: map[string]any{"user_id": id(e.users["collab"].ID)}, required: []string{"user_id"}}}
	})
}

func TestTransferOwnership(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	path := "/api/v1/sessions/" + id(s.ID) + "/owner"
	collab := e.users["collab"]

	wantProblem(t, e.do("owner", "PUT", path, map[string]string{"user_id": id(e.users["guest"].ID)}), http.StatusUnprocessableEntity, "a guest as owner")
	wantProblem(t, e.do("owner", "PUT", path, map[string]string{"user_id": "not-an-id"}), http.StatusUnprocessableEntity, "a malformed user id")
	wantProblem(t, e.do("owner", "PUT", path, map[string]string{"user_id": id(e.users["other"].ID)}), http.StatusNotFound, "another tenant's user")

	r := e.do("owner", "PUT", path, map[string]string{"user_id": id(collab.ID)})
	wantStatus(t, r, http.StatusOK, "transfer to the collaborator")
	var got struct {
		Owner struct{ ID string } `json:"owner"`
	}
	r.decode(t, &got)
	if got.Owner.ID != id(collab.ID) {
		t.Errorf("owner after the transfer = %s, want %s", got.Owner.ID, id(collab.ID))
	}
	members := accessBy(t, e, s.ID)
	if members[collab.ID] != convene.AccessOwner || members[e.users["owner"].ID] != convene.AccessCollaborate {
		t.Errorf("access after the transfer = %v: want the collaborator owner and the old owner collaborating", members)
	}
	// The old owner now collaborates: managing members is over for them.
	wantProblem(t, e.do("owner", "PUT", path, map[string]string{"user_id": id(e.users["owner"].ID)}), http.StatusForbidden, "the previous owner taking it back")
}

// accessBy returns each member's access to a session, by user id.
func accessBy(t *testing.T, e *env, sessionID int64) map[int64]convene.Access {
	t.Helper()
	members, err := e.fx.Store.Members(storetest.As(e.users["admin"]), sessionID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]convene.Access{}
	for _, m := range members {
		out[m.UserID] = m.Access
	}
	return out
}
