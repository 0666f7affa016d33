package convene_test

import (
	"reflect"
	"strings"
	"testing"

	"convene"
)

func TestDecideRequestGrant(t *testing.T) {
	req := &convene.AccessRequest{TenantID: 1, SessionIDs: []int64{1, 2, 3}}
	owned := func(ids ...int64) map[int64]*convene.Session {
		m := map[int64]*convene.Session{}
		for _, id := range ids {
			m[id] = &convene.Session{ID: id, TenantID: 1, OwnerID: 9}
		}
		return m
	}
	mine := owned(1, 2, 3)
	mine[2].OwnerID, mine[2].MyAccess = 7, convene.AccessOwner
	user := func(role convene.Role, disabled bool) *convene.User {
		return &convene.User{ID: 7, TenantID: 1, Role: role, Disabled: disabled}
	}
	tests := []struct {
		name      string
		requester *convene.User
		found     map[int64]*convene.Session
		want      []int64
		reason    string
	}{
		{"all still allowed", user(convene.RoleSessionAdmin, false), owned(1, 2, 3), []int64{1, 2, 3}, ""},
		{"one deleted", user(convene.RoleSessionAdmin, false), owned(1, 3), []int64{1, 3}, "1 of the 3 sessions were deleted"},
		{"demoted to member", user(convene.RoleMember, false), mine, []int64{2}, "may no longer add people to 2"},
		{"disabled", user(convene.RoleSessionAdmin, true), owned(1, 2, 3), nil, "was disabled"},
		{"gone", nil, owned(1), nil, "no longer exists"},
	}
	for _, tt := range tests {
		g := convene.DecideRequestGrant(req, tt.requester, tt.found)
		if !reflect.DeepEqual(g.Sessions, tt.want) || (tt.reason == "") != (g.Reason == "") || !strings.Contains(g.Reason, tt.reason) {
			t.Errorf("%s: %v %q, want %v and a reason with %q", tt.name, g.Sessions, g.Reason, tt.want, tt.reason)
		}
	}
}

func TestValidateRequestIDs(t *testing.T) {
	if got := convene.ErrorCode(convene.ValidateRequestIDs(nil)); got != convene.EINVALID {
		t.Errorf("no ids: %q", got)
	}
	if got := convene.ErrorCode(convene.ValidateRequestIDs(make([]int64, convene.MaxRequestIDs+1))); got != convene.ETOOLARGE {
		t.Errorf("too many ids: %q", got)
	}
}
