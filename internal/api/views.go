package api

import (
	"context"
	"time"

	"convene/internal/httpd"
	"convene/internal/phone"

	"convene"
)

// UserJSON is a user as the API shows it. Guests, and anyone looking up
// contacts, see only id, name and avatar_url.
type UserJSON struct {
	ID    string `json:"id" example:"42"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty" doc:"E.164"`
	// PhoneDisplay is for the dashboard, which shows numbers as people write
	// them; clients that store or dial a number use Phone.
	PhoneDisplay string `json:"phone_display,omitempty" doc:"the phone number formatted for people (+1 324-576-8342)"`
	Role         string `json:"role,omitempty" enum:"admin,session_admin,member,guest"`
	Disabled     *bool  `json:"disabled,omitempty"`
	AvatarURL    string `json:"avatar_url"`
}

// optID is an id or null.
func optID(id int64) *string {
	if id == 0 {
		return nil
	}
	s := httpd.FormatID(id)
	return &s
}

func avatarURL(id int64) string { return "/avatars/" + httpd.FormatID(id) }

// userView shows u fully to non-guests and to u themself, briefly to others.
func userView(u *convene.User, viewer convene.Actor) *UserJSON {
	if u == nil {
		return nil
	}
	if viewer.User != nil && viewer.User.Role == convene.RoleGuest && viewer.User.ID != u.ID {
		return briefUser(u)
	}
	disabled := u.Disabled
	return &UserJSON{
		ID: httpd.FormatID(u.ID), Name: u.Name, Email: u.Email, Phone: u.Phone, PhoneDisplay: phone.Display(u.Phone),
		Role: string(u.Role), Disabled: &disabled, AvatarURL: avatarURL(u.ID),
	}
}

func briefUser(u *convene.User) *UserJSON {
	return &UserJSON{ID: httpd.FormatID(u.ID), Name: u.Name, AvatarURL: avatarURL(u.ID)}
}

func timeJSON(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := timeJSON(t)
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// listOutput answers a whole list: {"items":[...]}.
type listOutput[T any] struct {
	Body struct {
		Items []T `json:"items"`
	}
}

// pageOutput answers one page of a longer list: {"items":[...],
// "next_cursor":...}, the cursor null on the last page.
type pageOutput[T any] struct {
	Body struct {
		Items      []T     `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
}

// searchQuery is the query string of a list one searches page by page.
// What q matches, and the default page size, are the list's own.
type searchQuery struct {
	Q      string `query:"q" maxLength:"200" doc:"search text; the operation says what it matches"`
	Limit  int    `query:"limit" minimum:"0" maximum:"100" doc:"page size; 0 or absent takes the list's default"`
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
}

// viewAll shows each of xs with view; never nil, so that an empty list is
// [] in JSON rather than null.
func viewAll[X, T any](xs []X, view func(X) T) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		out = append(out, view(x))
	}
	return out
}

func listOf[X, T any](xs []X, view func(X) T) *listOutput[T] {
	out := &listOutput[T]{}
	out.Body.Items = viewAll(xs, view)
	return out
}

func pageOf[X, T any](xs []X, next string, view func(X) T) *pageOutput[T] {
	out := &pageOutput[T]{}
	out.Body.Items, out.Body.NextCursor = viewAll(xs, view), optString(next)
	return out
}

// actorAndID returns the signed-in actor and the id of a path parameter:
// EUNAUTHORIZED, or ENOTFOUND naming what when raw is no id.
func actorAndID(ctx context.Context, raw, what string) (convene.Actor, int64, error) {
	a, err := httpd.ActorUser(ctx)
	if err != nil {
		return a, 0, err
	}
	id, err := httpd.PathID(raw, what)
	return a, id, err
}
