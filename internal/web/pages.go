package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"convene"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageCSP is the Content-Security-Policy of every page: scripts, styles and
// connections to this origin only, so the dashboard works offline and an
// injected inline script would not run.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// pageView is what every template receives.
type pageView struct {
	Title  string
	Nav    string // the highlighted item of the main navigation
	Script string // the page's module under /static/js/

	Me     *convene.User
	Tenant *convene.Tenant

	CanMultiInvite   bool
	CanManageUsers   bool
	CanManageMembers bool
	Session          *convene.Session

	Next      string // sign-in: where to go afterwards
	Workspace string // sign-in: the workspace to prefill

	Skeleton   []struct{} // placeholder rows while the first page loads
	ErrorTitle string
	ErrorText  string
}

// pages serves the dashboard: thin server-rendered shells whose scripts
// call /api/v1 with the session cookie.
type pages struct {
	s      *Server
	tmpl   map[string]*template.Template
	static *staticFiles
}

var templateFuncs = template.FuncMap{
	"roleLabel":   roleLabel,
	"accessLabel": accessLabel,
}

func (s *Server) registerPages(mux *http.ServeMux) {
	p := &pages{s: s, tmpl: map[string]*template.Template{}, static: newStaticFiles()}
	for _, name := range []string{"login", "sessions", "session", "users", "account", "error"} {
		p.tmpl[name] = template.Must(template.New(name).Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", p.static))
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /login", p.login)
	mux.HandleFunc("GET /sessions", p.sessions)
	mux.HandleFunc("GET /sessions/{id}", p.session)
	mux.HandleFunc("GET /users", p.users)
	mux.HandleFunc("GET /account", p.account)
	mux.HandleFunc("GET /avatars/{id}", p.avatar)
	mux.HandleFunc("PUT /avatars/{id}", p.uploadAvatar)
}

// signedIn returns the signed-in user and their tenant, or sends the
// browser to sign in and returns ok false.
func (p *pages) signedIn(w http.ResponseWriter, r *http.Request) (v pageView, ok bool) {
	a, found := convene.ActorFromContext(r.Context())
	if !found || a.User == nil {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return v, false
	}
	t, err := p.s.store.CurrentTenant(r.Context())
	if err != nil {
		p.s.log.ErrorContext(r.Context(), "page: current tenant", "err", err)
		http.Error(w, "Something went wrong on our side. Please try again in a moment.", http.StatusInternalServerError)
		return v, false
	}
	v = pageView{Me: a.User, Tenant: t,
		CanMultiInvite: convene.Allowed(a, convene.PermMultiInvite, nil, ""),
		CanManageUsers: convene.Allowed(a, convene.PermManageUsers, nil, ""),
	}
	return v, true
}

func (p *pages) home(w http.ResponseWriter, r *http.Request) {
	if _, ok := convene.ActorFromContext(r.Context()); ok {
		http.Redirect(w, r, "/sessions", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (p *pages) login(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if a, ok := convene.ActorFromContext(r.Context()); ok && a.User != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p.render(w, r, http.StatusOK, "login", pageView{Title: "Sign in", Script: "login.js", Next: next,
		Workspace: r.URL.Query().Get("workspace")})
}

func (p *pages) sessions(w http.ResponseWriter, r *http.Request) {
	v, ok := p.signedIn(w, r)
	if !ok {
		return
	}
	v.Title, v.Nav, v.Script, v.Skeleton = "All Sessions", "sessions", "sessions.js", make([]struct{}, 6)
	p.render(w, r, http.StatusOK, "sessions", v)
}

func (p *pages) session(w http.ResponseWriter, r *http.Request) {
	v, ok := p.signedIn(w, r)
	if !ok {
		return
	}
	a, x, err := p.s.session(r.Context(), r.PathValue("id"), convene.PermReadSession)
	if err != nil {
		p.fail(w, r, v, err, "Session not found", "This session does not exist, or you do not have access to it.")
		return
	}
	v.Title, v.Nav, v.Script, v.Session = x.Title, "sessions", "session.js", x
	v.CanManageMembers = convene.Allowed(a, convene.PermManageMembers, x, x.MyAccess)
	p.render(w, r, http.StatusOK, "session", v)
}

func (p *pages) users(w http.ResponseWriter, r *http.Request) {
	v, ok := p.signedIn(w, r)
	if !ok {
		return
	}
	if !v.CanManageUsers {
		p.fail(w, r, v, convene.Errorf(convene.EFORBIDDEN, "users page"), "Only Tenant Admins can see this page",
			"Ask a Tenant Admin of your workspace if you need someone added or changed.")
		return
	}
	v.Title, v.Nav, v.Script, v.Skeleton = "Users", "users", "users.js", make([]struct{}, 6)
	p.render(w, r, http.StatusOK, "users", v)
}

func (p *pages) account(w http.ResponseWriter, r *http.Request) {
	v, ok := p.signedIn(w, r)
	if !ok {
		return
	}
	v.Title, v.Nav, v.Script = "Your account", "account", "account.js"
	p.render(w, r, http.StatusOK, "account", v)
}

// fail renders the error page for err: not found and forbidden in the
// words given, anything else as an internal error (logged).
func (p *pages) fail(w http.ResponseWriter, r *http.Request, v pageView, err error, title, text string) {
	status := http.StatusNotFound
	switch convene.ErrorCode(err) {
	case convene.ENOTFOUND:
	case convene.EFORBIDDEN:
		status = http.StatusForbidden
	default:
		p.s.log.ErrorContext(r.Context(), "page", "path", r.URL.Path, "err", err)
		status, title, text = http.StatusInternalServerError, "Something went wrong", "Something went wrong on our side. Please try again in a moment."
	}
	v.Title, v.ErrorTitle, v.ErrorText = title, title, text
	p.render(w, r, status, "error", v)
}

// render executes a page into a buffer first, so that a template error
// never leaves half a page behind.
func (p *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, v pageView) {
	var buf bytes.Buffer
	if err := p.tmpl[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		p.s.log.ErrorContext(r.Context(), "page: template", "page", name, "err", err)
		http.Error(w, "Something went wrong on our side. Please try again in a moment.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageCSP)
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// safeNext keeps the redirect after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/sessions"
	}
	return next
}

func roleLabel(r convene.Role) string {
	switch r {
	case convene.RoleAdmin:
		return "Tenant Admin"
	case convene.RoleSessionAdmin:
		return "Session Admin"
	case convene.RoleMember:
		return "Member"
	case convene.RoleGuest:
		return "Guest"
	}
	return string(r)
}

func accessLabel(a convene.Access) string {
	switch a {
	case convene.AccessOwner:
		return "Owner"
	case convene.AccessCollaborate:
		return "Collaborate"
	case convene.AccessView:
		return "View only"
	}
	return "No access"
}
