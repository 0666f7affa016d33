package api

import (
	"context"

	"convene/internal/httpd"

	"convene"
)

// MemberJSON is one person's access to a session.
type MemberJSON struct {
	User   *UserJSON `json:"user"`
	Access string    `json:"access" enum:"owner,collaborate,view"`
}

type memberPath struct {
	ID     string `path:"id" maxLength:"40"`
	UserID string `path:"user_id" maxLength:"40"`
}

type setAccessInput struct {
	ID     string `path:"id" maxLength:"40"`
	UserID string `path:"user_id" maxLength:"40"`
	Body   struct {
		Access string `json:"access" enum:"collaborate,view"`
	}
}

type memberOutput struct{ Body MemberJSON }

// membersInput is a session's id and the search and page of its members.
type membersInput struct {
	ID     string `path:"id" maxLength:"40"`
	Q      string `query:"q" maxLength:"200" doc:"matches name, email or phone anywhere"`
	Limit  int    `query:"limit" minimum:"0" maximum:"500" doc:"page size, 100 by default"`
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
}

func (s *Server) listMembers(ctx context.Context, in *membersInput) (*pageOutput[MemberJSON], error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermReadSession)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	members, next, err := s.store.MembersPage(ctx, x.ID, convene.MemberFilter{Query: in.Q, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(members, next, func(m *convene.Membership) MemberJSON {
		u := userView(m.User, a)
		if u == nil {
			u = &UserJSON{ID: httpd.FormatID(m.UserID), AvatarURL: avatarURL(m.UserID)}
		}
		return MemberJSON{User: u, Access: string(m.Access)}
	}), nil
}

func (s *Server) setMemberAccess(ctx context.Context, in *setAccessInput) (*memberOutput, error) {
	a, x, uid, err := s.member(ctx, in.ID, in.UserID)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	access := convene.Access(in.Body.Access)
	m, err := s.store.SetAccess(ctx, x.ID, uid, access)
	if convene.ErrorCode(err) == convene.ENOTFOUND && convene.Allowed(a, convene.PermMultiInvite, nil, "") {
		// Session and Tenant Admins may add a user of the tenant by id;
		// owners invite people (contract section 8).
		m, err = s.addMember(ctx, x.ID, uid, access)
	}
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	u := m.User
	if u == nil {
		if u, err = s.store.FindUserByID(ctx, uid); err != nil {
			return nil, s.Err(ctx, err)
		}
	}
	return &memberOutput{MemberJSON{User: userView(u, a), Access: string(m.Access)}}, nil
}

func (s *Server) removeMember(ctx context.Context, in *memberPath) (*struct{}, error) {
	_, x, uid, err := s.member(ctx, in.ID, in.UserID)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return nil, s.Err(ctx, s.store.RemoveMember(ctx, x.ID, uid))
}

// member finds a session the caller manages and the id of one of its
// members, as the path gives them: ENOTFOUND when either is no id.
func (s *Server) member(ctx context.Context, sessionID, userID string) (convene.Actor, *convene.Session, int64, error) {
	a, x, err := s.Session(ctx, sessionID, convene.PermManageMembers)
	if err != nil {
		return a, nil, 0, err
	}
	uid, err := httpd.PathID(userID, "member")
	return a, x, uid, err
}

// addMember gives an active user of the tenant who is no member access to
// a session, through the access engine (so it is audited and announced
// like any grant). ENOTFOUND when there is no such user.
func (s *Server) addMember(ctx context.Context, sessionID, userID int64, access convene.Access) (*convene.Membership, error) {
	u, err := s.store.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, convene.Errorf(convene.ENOTFOUND, "member not found")
	}
	b, err := s.store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{sessionID}, Contacts: []string{u.Login()}, Access: access})
	if err != nil {
		return nil, err
	}
	s.RecordBatch(b)
	// The user was no member, so the grant added them with access.
	return &convene.Membership{SessionID: sessionID, UserID: userID, Access: access, User: u}, nil
}
