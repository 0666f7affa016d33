package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"regexp"
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

// pageTemplates holds every page, each parsed with the layout. It is
// built once at start and only read afterwards.
var pageTemplates = parsePages("login", "sessions", "session", "users", "account", "error",
	"invite", "password_set", "password_reset", "outbox")

func parsePages(names ...string) map[string]*template.Template {
	funcs := template.FuncMap{"roleLabel": roleLabel, "accessLabel": accessLabel, "linkify": linkify}
	m := make(map[string]*template.Template, len(names))
	for _, name := range names {
		m[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}

const internalErrorText = "Something went wrong on our side. Please try again in a moment."

// render executes a page into a buffer first, so that a template error
// never leaves half a page behind. The security headers middleware has
// already set Referrer-Policy: no-referrer, which keeps the secrets in the
// URLs of the invitation and password pages from leaking.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v any) {
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.ErrorContext(r.Context(), "page: template", "page", name, "err", err)
		http.Error(w, internalErrorText, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageCSP)
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// pageStatus maps a domain error to the status and message of a page that
// shows it above a form.
func (s *Server) pageStatus(r *http.Request, err error) (int, string) {
	var p *Problem
	if errors.As(err, &p) && p.Status == http.StatusTooManyRequests {
		return p.Status, "Too many attempts. Wait a few minutes, then try again."
	}
	if errors.As(err, &p) && p.Status == http.StatusServiceUnavailable {
		return p.Status, "This cannot be done right now. Try again in a minute."
	}
	switch convene.ErrorCode(err) {
	case convene.EINVALID:
		return http.StatusUnprocessableEntity, convene.ErrorMessage(err)
	case convene.ENOTFOUND:
		return http.StatusNotFound, "This link is not valid. Check that you copied all of it, or ask for a new one."
	case convene.EUNAVAILABLE, convene.ECONFLICT:
		return http.StatusGone, convene.ErrorMessage(err)
	}
	s.log.ErrorContext(r.Context(), "page", "path", "delivery", "err", err) // the path may hold a secret
	return http.StatusInternalServerError, internalErrorText
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify escapes text and turns its URLs into links (the outbox).
func linkify(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		u := template.HTMLEscapeString(text[m[0]:m[1]])
		if strings.Contains(u, "[redacted]") { // a link whose secret was not kept leads nowhere
			b.WriteString(u)
		} else {
			b.WriteString(`<a href="` + u + `">` + u + `</a>`)
		}
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

var roleLabels = map[convene.Role]string{
	convene.RoleAdmin: "Tenant Admin", convene.RoleSessionAdmin: "Session Admin",
	convene.RoleMember: "Member", convene.RoleGuest: "Guest",
}

func roleLabel(r convene.Role) string {
	if label, ok := roleLabels[r]; ok {
		return label
	}
	return string(r)
}

var accessLabels = map[convene.Access]string{
	convene.AccessOwner: "Owner", convene.AccessCollaborate: "Collaborate", convene.AccessView: "View only",
}

func accessLabel(a convene.Access) string {
	if label, ok := accessLabels[a]; ok {
		return label
	}
	return "No access"
}
