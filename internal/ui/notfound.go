package ui

import (
	"net/http"
	"strings"

	"convene"
)

// pageMethods are the methods a dashboard path may be served with.
var pageMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete}

// notFound answers every request no other route takes: the dashboard's own
// error page (with its title, language and layout) for a page path, a
// problem document for a path under /api/, and 405 with the methods it
// takes for a known path asked with another method (as the mux would).
func (p *pages) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		p.WriteProblem(w, r, convene.Errorf(convene.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
		return
	}
	if allowed := p.otherMethods(r); len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		p.errorPage(w, r, http.StatusMethodNotAllowed, "This page does not take that request",
			"Go back and try again from the page itself.")
		return
	}
	v := p.viewer(r)
	v.Title, v.ErrorTitle, v.ErrorText = "Page not found", "Page not found",
		"There is no page at this address. Check the link, or go back to your sessions."
	p.render(w, r, http.StatusNotFound, "error", v)
}

// otherMethods lists the methods another route serves r's path with.
func (p *pages) otherMethods(r *http.Request) []string {
	var allowed []string
	for _, m := range pageMethods {
		probe := r.WithContext(r.Context())
		probe.Method = m
		if _, pattern := p.Mux().Handler(probe); pattern != "" && pattern != r.Pattern {
			allowed = append(allowed, m)
		}
	}
	return allowed
}
