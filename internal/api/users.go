package api

import (
	"context"
	"strings"

	"convene"
	"convene/internal/auth"
	"convene/internal/httpd"
)

type userOutput struct{ Body *UserJSON }

type createUserInput struct {
	Body struct {
		Name     string `json:"name" maxLength:"200"`
		Email    string `json:"email,omitempty" maxLength:"320"`
		Phone    string `json:"phone,omitempty" maxLength:"64"`
		Role     string `json:"role,omitempty" enum:"admin,session_admin,member,guest" doc:"member by default"`
		Password string `json:"password,omitempty" maxLength:"256" doc:"without one, the user is sent a link to set it"`
	}
}

type updateUserInput struct {
	ID   string `path:"id" maxLength:"40"`
	Body struct {
		Name     *string `json:"name,omitempty" maxLength:"200"`
		Role     *string `json:"role,omitempty" enum:"admin,session_admin,member,guest"`
		Disabled *bool   `json:"disabled,omitempty"`
	}
}

func (s *Server) listUsers(ctx context.Context, in *searchQuery) (*pageOutput[*UserJSON], error) {
	a, err := s.authorize(ctx, convene.PermReadDirectory)
	if err != nil {
		return nil, err
	}
	users, next, err := s.store.FindUsers(ctx, convene.UserFilter{Query: in.Q, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(users, next, func(u *convene.User) *UserJSON { return userView(u, a) }), nil
}

func (s *Server) getUser(ctx context.Context, in *idPath) (*userOutput, error) {
	a, id, err := actorAndID(ctx, in.ID, "user")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if id != a.User.ID && !convene.Allowed(a, convene.PermReadDirectory, nil, "") {
		return nil, s.Err(ctx, convene.Errorf(convene.ENOTFOUND, "user not found"))
	}
	u, err := s.store.FindUserByID(ctx, id)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &userOutput{userView(u, a)}, nil
}

func (s *Server) createUser(ctx context.Context, in *createUserInput) (*userOutput, error) {
	a, err := s.authorize(ctx, convene.PermManageUsers)
	if err != nil {
		return nil, err
	}
	u, err := s.newUser(ctx, in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if err := s.saveNewUser(ctx, u); err != nil {
		return nil, s.Err(ctx, err)
	}
	return &userOutput{userView(u, a)}, nil
}

func (s *Server) updateUser(ctx context.Context, in *updateUserInput) (*userOutput, error) {
	a, id, err := actorAndID(ctx, in.ID, "user")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	upd, err := s.userUpdate(a, id, in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	u, err := s.store.UpdateUser(ctx, id, upd)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &userOutput{userView(u, a)}, nil
}

// newUser checks and normalises a registration with the tenant's settings.
func (s *Server) newUser(ctx context.Context, in *createUserInput) (*convene.User, error) {
	b := in.Body
	t, err := s.store.CurrentTenant(ctx)
	if err != nil {
		return nil, err
	}
	u := &convene.User{Name: strings.TrimSpace(b.Name), Role: convene.Role(b.Role), TenantID: t.ID}
	if u.Role == "" {
		u.Role = convene.RoleMember
	}
	if err := httpd.CheckLine("name", u.Name, 200); err != nil {
		return nil, err
	}
	p := convene.NewContactParser(t, s.cfg.Phones)
	if b.Email != "" {
		c := p.Parse(b.Email)
		if c.Kind != convene.ContactEmail || strings.ContainsAny(b.Email, "<>\"") {
			return nil, convene.FieldErrorf("email", "is not an email address")
		}
		u.Email = c.Normalized
	}
	if b.Phone != "" {
		c := p.Parse(b.Phone)
		if c.Kind != convene.ContactPhone {
			return nil, convene.FieldErrorf("phone", "is not a phone number%s", reasonSuffix(c.Reason))
		}
		u.Phone = c.Normalized
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if b.Password != "" {
		if msg := auth.CheckPasswordPolicy(b.Password); msg != "" {
			return nil, convene.FieldErrorf("password", "%s", msg)
		}
		if u.PasswordHash, err = auth.HashPassword(b.Password); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + reason
}

// userUpdate checks a change of a user. Tenant Admins change anyone's name,
// role and disabled, except that they may not demote or disable themselves
// (a tenant must keep an admin); anyone else only their own name.
func (s *Server) userUpdate(a convene.Actor, id int64, in *updateUserInput) (convene.UserUpdate, error) {
	b := in.Body
	upd := convene.UserUpdate{Disabled: b.Disabled}
	if b.Name != nil {
		name := strings.TrimSpace(*b.Name)
		if err := httpd.CheckLine("name", name, 200); err != nil {
			return upd, err
		}
		if name == "" {
			return upd, convene.FieldErrorf("name", "is required")
		}
		upd.Name = &name
	}
	if b.Role != nil {
		role := convene.Role(*b.Role)
		upd.Role = &role
	}
	admin := convene.Allowed(a, convene.PermManageUsers, nil, "")
	self := id == a.User.ID
	switch {
	case !admin && !self:
		if convene.Allowed(a, convene.PermReadDirectory, nil, "") {
			return upd, convene.Errorf(convene.EFORBIDDEN, "only Tenant Admins change other users")
		}
		return upd, convene.Errorf(convene.ENOTFOUND, "user not found")
	case !admin && (upd.Role != nil || upd.Disabled != nil):
		return upd, convene.Errorf(convene.EFORBIDDEN, "only Tenant Admins change roles and disable users")
	case self && upd.Role != nil && *upd.Role != a.User.Role:
		return upd, convene.FieldErrorf("role", "you cannot change your own role")
	case self && upd.Disabled != nil && *upd.Disabled:
		return upd, convene.FieldErrorf("disabled", "you cannot disable yourself")
	}
	return upd, nil
}

// saveNewUser registers u. Without a password, a set-password link is
// stored and its message queued in the same transaction, so that nobody is
// registered without a way in.
func (s *Server) saveNewUser(ctx context.Context, u *convene.User) error {
	if u.PasswordHash != "" {
		return s.store.CreateUser(ctx, u)
	}
	_, err := s.store.CreateUserWithPasswordLink(ctx, u, true)
	return err
}
