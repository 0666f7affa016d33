package web

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"convene"
)

// UserJSON is a user as the API shows it. Guests, and anyone looking up
// contacts, see only id, name and avatar_url.
type UserJSON struct {
	ID        string `json:"id" example:"42"`
	Name      string `json:"name"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Role      string `json:"role,omitempty" enum:"admin,session_admin,member,guest"`
	Disabled  *bool  `json:"disabled,omitempty"`
	AvatarURL string `json:"avatar_url"`
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

// optID is an id or null.
func optID(id int64) *string {
	if id == 0 {
		return nil
	}
	s := formatID(id)
	return &s
}

// parseID reads a decimal int64 id; ok is false for anything else, which
// callers answer like an id that does not exist.
func parseID(s string) (int64, bool) {
	if s == "" || len(s) > 19 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// pathID parses the id of a path parameter: ENOTFOUND when it is no id.
func pathID(s, what string) (int64, error) {
	id, ok := parseID(s)
	if !ok {
		return 0, convene.Errorf(convene.ENOTFOUND, "%s not found", what)
	}
	return id, nil
}

func avatarURL(id int64) string { return "/avatars/" + formatID(id) }

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
		ID: formatID(u.ID), Name: u.Name, Email: u.Email, Phone: u.Phone,
		Role: string(u.Role), Disabled: &disabled, AvatarURL: avatarURL(u.ID),
	}
}

func briefUser(u *convene.User) *UserJSON {
	return &UserJSON{ID: formatID(u.ID), Name: u.Name, AvatarURL: avatarURL(u.ID)}
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

// checkLine returns EINVALID unless v is valid UTF-8 of at most max
// characters without control characters (CR, LF, NUL...).
func checkLine(field, v string, max int) error {
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
		return convene.FieldErrorf(field, "must be at most %d characters", max)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return convene.FieldErrorf(field, "must be on one line, without control characters")
		}
	}
	return nil
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
	a, err := actorUser(ctx)
	if err != nil {
		return a, 0, err
	}
	id, err := pathID(raw, what)
	return a, id, err
}
