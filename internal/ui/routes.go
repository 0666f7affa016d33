// Package ui is Convene's dashboard: server-rendered page shells
// (templates/, with shared partials) whose ES modules (static/js/) call the
// JSON API, the avatars, and the pages the links of messages lead to
// (guest invitations, set and reset password). Mount lists every route.
// The HTTP plumbing is internal/httpd; the API is internal/api.
package ui

import (
	"net/http"

	"convene/internal/httpd"
)

// Mount registers every page of the dashboard on srv, and makes srv's
// refusals of page requests render as the error page.
func Mount(srv *httpd.Server) {
	p := &pages{Server: srv, store: srv.Store(), log: srv.Log(), static: newStaticFiles()}
	srv.SetErrorPage(p.errorPage)
	mux := srv.Mux()

	mux.Handle("GET /static/", http.StripPrefix("/static/", p.static))
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /login", p.login)
	mux.HandleFunc("POST /logout", p.logout)

	// The pages of a signed-in user (pages.go); anyone else is sent to
	// sign in. A shell page is a template whose module calls the API.
	mux.HandleFunc("GET /sessions", p.signedInPage(p.shellPage("sessions", "All Sessions", 6)))
	mux.HandleFunc("GET /sessions/{id}", p.signedInPage(p.session))
	mux.HandleFunc("GET /users", p.signedInPage(p.gatedShellPage(usersPage)))
	mux.HandleFunc("GET /account", p.signedInPage(p.shellPage("account", "Your account", 0)))
	mux.HandleFunc("GET /outbox", p.signedInPage(p.outbox))
	mux.HandleFunc("GET /settings", p.signedInPage(p.gatedShellPage(settingsPage)))
	mux.HandleFunc("GET /activity", p.signedInPage(p.gatedShellPage(activityPage)))
	mux.HandleFunc("GET /activity/batches/{id}", p.signedInPage(p.batch))

	// Avatars of users (avatar.go); the API's user views link to them.
	mux.HandleFunc("GET /avatars/{id}", p.avatar)
	mux.HandleFunc("PUT /avatars/{id}", p.uploadAvatar)

	// The pages the links of messages lead to; they work without signing
	// in (invitation_pages.go, password_pages.go).
	mux.HandleFunc("GET /invite/{token}", p.invitePage)
	mux.HandleFunc("POST /invite/{token}", p.inviteSubmit)
	mux.HandleFunc("GET /set-password/{token}", p.setPasswordPage)
	mux.HandleFunc("POST /set-password/{token}", p.setPasswordSubmit)
	mux.HandleFunc("GET /reset-password", p.resetPasswordPage)
	mux.HandleFunc("POST /reset-password", p.resetPasswordSubmit)

	// Everything else: the dashboard's own "Page not found" (notfound.go).
	mux.HandleFunc("/", p.notFound)
}
