package ui

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"convene/internal/httpd"

	"convene"
)

// pageView is what every template receives.
type pageView struct {
	Title  string
	Nav    string // the highlighted item of the main navigation
	Script string // the page's module under /static/js/

	Me     *convene.User
	Tenant *convene.Tenant

	CanMultiInvite   bool
	CanManageUsers   bool
	CanManageTenant  bool
	CanManageMembers bool
	// What the signed-in user may do inside the session on screen; the
	// page changes both live when their access changes (session_live.js).
	CanWriteContent    bool
	CanModerateContent bool
	CanCreateSession   bool
	CanEditSession     bool // the session page: Rename
	CanDeleteSession   bool // the session page: Delete session
	Session            *convene.Session
	MaxFileBytes       int64      // the largest upload, told before one picks a file
	Batch              *batchView // the batch page's batch

	Next      string // sign-in: where to go afterwards
	Workspace string // sign-in: the workspace to prefill

	Skeleton   []struct{} // placeholder rows while the first page loads
	ErrorTitle string
	ErrorText  string
}

// pages serves the dashboard: thin server-rendered shells whose scripts
// call /api/v1 with the session cookie, and the pages the links of
// messages lead to. It is mounted on the plumbing it embeds.
type pages struct {
	*httpd.Server
	store  convene.Store
	log    *slog.Logger
	static *staticFiles
}

// signedIn returns the signed-in user and their tenant, or sends the
// browser to sign in and returns ok false.
func (p *pages) signedIn(w http.ResponseWriter, r *http.Request) (v pageView, ok bool) {
	a, found := convene.ActorFromContext(r.Context())
	if !found || a.User == nil {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return v, false
	}
	v, err := p.viewOf(r, a)
	if err != nil {
		p.log.ErrorContext(r.Context(), "page: current tenant", "err", err)
		http.Error(w, internalErrorText, http.StatusInternalServerError)
		return v, false
	}
	return v, true
}

// viewer returns the view of whoever asks: the signed-in user's, with the
// header and navigation, or an empty one for anyone else (and when the
// tenant cannot be read, which the page itself then need not care about).
func (p *pages) viewer(r *http.Request) pageView {
	a, found := convene.ActorFromContext(r.Context())
	if !found || a.User == nil {
		return pageView{}
	}
	v, err := p.viewOf(r, a)
	if err != nil {
		return pageView{}
	}
	return v
}

// viewOf is the view of the signed-in actor a: who they are, their
// tenant, and what the navigation offers them.
func (p *pages) viewOf(r *http.Request, a convene.Actor) (pageView, error) {
	t, err := p.store.CurrentTenant(r.Context())
	if err != nil {
		return pageView{}, err
	}
	return pageView{Me: a.User, Tenant: t,
		CanMultiInvite:   convene.Allowed(a, convene.PermMultiInvite, nil, ""),
		CanManageUsers:   convene.Allowed(a, convene.PermManageUsers, nil, ""),
		CanManageTenant:  convene.Allowed(a, convene.PermManageTenant, nil, ""),
		CanCreateSession: convene.Allowed(a, convene.PermCreateSession, nil, ""),
	}, nil
}

// signedInPage serves page to a signed-in user only; anyone else is sent
// to sign in (by signedIn) and page does not run.
func (p *pages) signedInPage(page func(http.ResponseWriter, *http.Request, pageView)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if v, ok := p.signedIn(w, r); ok {
			page(w, r, v)
		}
	}
}

// shellPage is a signed-in page that is only a shell (see shell).
func (p *pages) shellPage(name, title string, rows int) func(http.ResponseWriter, *http.Request, pageView) {
	return func(w http.ResponseWriter, r *http.Request, v pageView) {
		p.shell(w, r, v, name, title, rows)
	}
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

// logout signs out with a plain form post, so that "Sign out" works the
// moment the page shows, before (and without) any script.
func (p *pages) logout(w http.ResponseWriter, r *http.Request) {
	if err := p.SignOut(w, r); err != nil {
		p.fail(w, r, pageView{}, err, "Sign-out failed", "Please try again.")
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (p *pages) session(w http.ResponseWriter, r *http.Request, v pageView) {
	a, x, err := p.Session(r.Context(), r.PathValue("id"), convene.PermReadSession)
	if err != nil {
		p.fail(w, r, v, err, "Session not found", "This session does not exist, or you do not have access to it.")
		return
	}
	v.Title, v.Nav, v.Script, v.Session = x.Title, "sessions", "session.js", x
	v.CanManageMembers = convene.Allowed(a, convene.PermManageMembers, x, x.MyAccess)
	v.CanWriteContent = convene.Allowed(a, convene.PermWriteContent, x, x.MyAccess)
	v.CanModerateContent = convene.Allowed(a, convene.PermModerateContent, x, x.MyAccess)
	v.CanEditSession = convene.Allowed(a, convene.PermEditSession, x, x.MyAccess)
	v.CanDeleteSession = convene.Allowed(a, convene.PermDeleteSession, x, x.MyAccess)
	v.MaxFileBytes = p.Config().MaxFileBytes
	p.render(w, r, http.StatusOK, "session", v)
}

// gatedShell is a shell page (see shell) that only some roles may open:
// allowed says who, and the refusal page says who may and whom to ask.
type gatedShell struct {
	name, title string
	rows        int
	allowed     func(pageView) bool
	refusal     string // the refusal page's title
	ask         string // its text: whom to ask instead
}

// The gated shell pages: Users and Settings for Tenant Admins; Activity
// (activity.js and one module per tab) for Session and Tenant Admins, with
// the tabs a Session Admin may not open not rendered at all.
var (
	usersPage = gatedShell{name: "users", title: "Users", rows: 6,
		allowed: func(v pageView) bool { return v.CanManageUsers },
		refusal: "Only Tenant Admins can see this page",
		ask:     "Ask a Tenant Admin of your workspace if you need someone added or changed."}
	settingsPage = gatedShell{name: "settings", title: "Settings",
		allowed: func(v pageView) bool { return v.CanManageTenant },
		refusal: "Only Tenant Admins can see this page",
		ask:     "Ask a Tenant Admin of your workspace to change its settings."}
	activityPage = gatedShell{name: "activity", title: "Activity",
		allowed: func(v pageView) bool { return v.CanMultiInvite },
		refusal: "Only Session and Tenant Admins can see this page",
		ask:     "Ask an admin of your workspace what was done in a session."}
)

// gatedShellPage serves g to the roles it allows and its refusal (403) to
// anyone else signed in.
func (p *pages) gatedShellPage(g gatedShell) func(http.ResponseWriter, *http.Request, pageView) {
	return func(w http.ResponseWriter, r *http.Request, v pageView) {
		if !g.allowed(v) {
			p.fail(w, r, v, convene.Errorf(convene.EFORBIDDEN, "%s page", g.name), g.refusal, g.ask)
			return
		}
		p.shell(w, r, v, g.name, g.title, g.rows)
	}
}

// shell renders a page whose script, name.js, loads its content through
// the API, with rows placeholder rows until it has.
func (p *pages) shell(w http.ResponseWriter, r *http.Request, v pageView, name, title string, rows int) {
	v.Title, v.Nav, v.Script = title, name, name+".js"
	if rows > 0 {
		v.Skeleton = make([]struct{}, rows)
	}
	p.render(w, r, http.StatusOK, name, v)
}

// fail renders the error page for err: not found and forbidden in the
// words given, anything else as an internal error (logged).
func (p *pages) fail(w http.ResponseWriter, r *http.Request, v pageView, err error, title, text string) {
	code := convene.ErrorCode(err)
	status := httpd.PageStatus(code)
	if code != convene.ENOTFOUND && code != convene.EFORBIDDEN {
		p.log.ErrorContext(r.Context(), "page", "path", httpd.LoggedPath(r.URL.Path), "err", err)
		status, title, text = http.StatusInternalServerError, "Something went wrong", internalErrorText
	}
	v.Title, v.ErrorTitle, v.ErrorText = title, title, text
	p.render(w, r, status, "error", v)
}

// safeNext keeps the redirect after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/sessions"
	}
	return next
}
