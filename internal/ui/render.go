package ui

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"strings"

	"convene/internal/httpd"

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
	"invite", "password_set", "password_reset", "outbox", "settings", "activity", "batch")

func parsePages(names ...string) map[string]*template.Template {
	funcs := template.FuncMap{"roleLabel": roleLabel, "accessLabel": accessLabel, "linkify": linkify, "dict": dict, "add": func(a, b int) int { return a + b }, "thousands": thousands}
	m := make(map[string]*template.Template, len(names))
	for _, name := range names {
		m[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, pageFiles(name)...))
	}
	return m
}

// pageFiles names the files of one page: the layout, the shared partials
// (partials.html, with whatever two pages share), the page, and the
// sections of a page too big for one file (name_*.html, such as
// session_notes.html), which only that page uses.
func pageFiles(name string) []string {
	files := []string{"templates/layout.html", "templates/partials.html", "templates/" + name + ".html"}
	sections, err := fs.Glob(templateFS, "templates/"+name+"_*.html")
	if err != nil {
		panic(err) // only for a malformed pattern, which name never makes
	}
	return append(files, sections...)
}

// dict builds the argument of a partial from key, value pairs:
// {{template "search-bar" (dict "ID" "search" "Label" "Search")}}. An odd
// count or a key that is no string is a mistake in a template, found when
// the page first renders in the tests.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: a key is not a string")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

const internalErrorText = "Something went wrong on our side. Please try again in a moment."

// render executes a page into a buffer first, so that a template error
// never leaves half a page behind. The security headers middleware has
// already set Referrer-Policy: no-referrer, which keeps the secrets in the
// URLs of the invitation and password pages from leaking.
func (p *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, v any) {
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		p.log.ErrorContext(r.Context(), "page: template", "page", name, "err", err)
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

// pageStatus maps a domain error to the status (httpd.PageStatus, the one
// table) and message of a page that shows it above a form.
func (p *pages) pageStatus(r *http.Request, err error) (int, string) {
	var prob *httpd.Problem
	if errors.As(err, &prob) && prob.Status == http.StatusTooManyRequests {
		return prob.Status, "Too many attempts. Wait a few minutes, then try again."
	}
	if errors.As(err, &prob) && prob.Status == http.StatusServiceUnavailable {
		return prob.Status, "This cannot be done right now. Try again in a minute."
	}
	code := convene.ErrorCode(err)
	switch code {
	case convene.EINVALID, convene.EUNAVAILABLE, convene.ECONFLICT:
		return httpd.PageStatus(code), convene.ErrorMessage(err)
	case convene.ENOTFOUND:
		return httpd.PageStatus(code), "This link is not valid. Check that you copied all of it, or ask for a new one."
	}
	p.log.ErrorContext(r.Context(), "page", "path", "delivery", "err", err) // the path may hold a secret
	return http.StatusInternalServerError, internalErrorText
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// errorPage renders the error page with title and text: the plumbing's
// refusals of unreadable page requests.
func (p *pages) errorPage(w http.ResponseWriter, r *http.Request, status int, title, text string) {
	p.render(w, r, status, "error", pageView{Title: title, ErrorTitle: title, ErrorText: text})
}

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
