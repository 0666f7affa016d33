package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"convene"
	"convene/internal/auth"
)

// deliveryView is what the invitation, password and outbox pages receive.
type deliveryView struct {
	pageView
	Invitation *convene.Invitation
	State      convene.InvitationStatus
	Error      string // a message for the person, shown above the form
	Name       string // the name typed, kept on a failed submit
	Reset      bool   // set-password page: a reset rather than a first password
	Done       bool   // reset request: sent (or not: the answer is the same)
	Jobs       []*convene.Job
}

var deliveryTemplates = map[string]*template.Template{}

func init() {
	funcs := template.FuncMap{"roleLabel": roleLabel, "accessLabel": accessLabel, "linkify": linkify}
	for _, name := range []string{"invite", "password_set", "password_reset", "outbox"} {
		deliveryTemplates[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
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

func (s *Server) registerDeliveryPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /invite/{token}", s.invitePage)
	mux.HandleFunc("POST /invite/{token}", s.inviteSubmit)
	mux.HandleFunc("GET /set-password/{token}", s.setPasswordPage)
	mux.HandleFunc("POST /set-password/{token}", s.setPasswordSubmit)
	mux.HandleFunc("GET /reset-password", s.resetPasswordPage)
	mux.HandleFunc("POST /reset-password", s.resetPasswordSubmit)
	mux.HandleFunc("GET /outbox", s.outboxPage)
}

// renderDelivery renders one of this file's pages in the dashboard layout.
func (s *Server) renderDelivery(w http.ResponseWriter, r *http.Request, status int, name string, v deliveryView) {
	var buf bytes.Buffer
	if err := deliveryTemplates[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.ErrorContext(r.Context(), "page: template", "page", name, "err", err)
		http.Error(w, "Something went wrong on our side. Please try again in a moment.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Referrer-Policy", "no-referrer") // the URL holds a secret
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// pageStatus maps a domain error to the status and message of a page.
func (s *Server) pageStatus(r *http.Request, err error) (int, string) {
	switch convene.ErrorCode(err) {
	case convene.EINVALID:
		return http.StatusUnprocessableEntity, convene.ErrorMessage(err)
	case convene.ENOTFOUND:
		return http.StatusNotFound, "This link is not valid. Check that you copied all of it, or ask for a new one."
	case convene.EUNAVAILABLE, convene.ECONFLICT:
		return http.StatusGone, convene.ErrorMessage(err)
	}
	s.log.ErrorContext(r.Context(), "page", "path", "delivery", "err", err)
	return http.StatusInternalServerError, "Something went wrong on our side. Please try again in a moment."
}

// invitePage shows an invitation and its registration form. It never
// changes the invitation.
func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) {
	v := deliveryView{pageView: pageView{Title: "Invitation"}}
	inv, err := s.store.FindInvitationByToken(r.Context(), auth.HashSecret(r.PathValue("token")))
	if err != nil {
		status, msg := s.pageStatus(r, err)
		v.Title, v.Error = "Invitation not valid", msg
		s.renderDelivery(w, r, status, "invite", v)
		return
	}
	v.Invitation, v.State = inv, inv.State(s.now())
	status := http.StatusOK
	if v.State != convene.InvitationPending {
		status, v.Title, v.Error = http.StatusGone, unavailableTitle(v.State), unavailableText(v.State)
	}
	s.renderDelivery(w, r, status, "invite", v)
}

func unavailableTitle(st convene.InvitationStatus) string {
	switch st {
	case convene.InvitationAccepted:
		return "Invitation already used"
	case convene.InvitationRevoked:
		return "Invitation withdrawn"
	case convene.InvitationExpired:
		return "Invitation expired"
	}
	return "Invitation not valid"
}

func unavailableText(st convene.InvitationStatus) string {
	switch st {
	case convene.InvitationAccepted:
		return "This invitation was already used. If it was you, sign in instead."
	case convene.InvitationRevoked:
		return "This invitation was withdrawn, or replaced by a newer one. Ask the person who invited you for a new link."
	case convene.InvitationExpired:
		return "This invitation has expired. Ask the person who invited you to send it again."
	}
	return "This invitation cannot be used."
}

// inviteSubmit registers the guest and lands them in the session.
func (s *Server) inviteSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	acc, err := s.acceptInvitation(r.Context(), token, strings.TrimSpace(name), password)
	if err != nil {
		status, msg := s.pageStatus(r, err)
		v := deliveryView{pageView: pageView{Title: "Invitation not valid"}, Error: msg, Name: name}
		if inv, ferr := s.store.FindInvitationByToken(r.Context(), auth.HashSecret(token)); ferr == nil {
			v.Invitation, v.State = inv, inv.State(s.now())
			v.Title = "Invitation"
			if v.State != convene.InvitationPending {
				v.Title, v.Error = unavailableTitle(v.State), unavailableText(v.State)
			}
		}
		s.renderDelivery(w, r, status, "invite", v)
		return
	}
	if _, err := s.signIn(w, r, acc.User); err != nil {
		status, msg := s.pageStatus(r, err)
		s.renderDelivery(w, r, status, "invite", deliveryView{pageView: pageView{Title: "Invitation"}, Error: msg})
		return
	}
	http.Redirect(w, r, "/sessions/"+formatID(acc.Invitation.SessionID), http.StatusSeeOther)
}

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	v := deliveryView{pageView: pageView{Title: "Choose a password"}}
	link, u, err := s.store.FindPasswordLink(r.Context(), auth.HashSecret(r.PathValue("token")))
	if err != nil {
		status, msg := s.pageStatus(r, err)
		v.Error = msg
		s.renderDelivery(w, r, status, "password_set", v)
		return
	}
	v.Name, v.Reset = u.Login(), link.Purpose == convene.PasswordLinkReset
	s.renderDelivery(w, r, http.StatusOK, "password_set", v)
}

func (s *Server) setPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := s.usePasswordLink(r.Context(), token, r.PostFormValue("password"), r.PostFormValue("confirm"))
	if err != nil {
		status, msg := s.pageStatus(r, err)
		v := deliveryView{pageView: pageView{Title: "Choose a password"}, Error: msg}
		// A password refused: the link still works, so the form stays.
		if link, lu, ferr := s.store.FindPasswordLink(r.Context(), auth.HashSecret(token)); ferr == nil {
			v.Name, v.Reset = lu.Login(), link.Purpose == convene.PasswordLinkReset
		}
		s.renderDelivery(w, r, status, "password_set", v)
		return
	}
	if _, err := s.signIn(w, r, u); err != nil {
		status, msg := s.pageStatus(r, err)
		s.renderDelivery(w, r, status, "password_set", deliveryView{pageView: pageView{Title: "Choose a password"}, Error: msg})
		return
	}
	http.Redirect(w, r, "/sessions", http.StatusSeeOther)
}

// usePasswordLink checks the new password and redeems a password link.
func (s *Server) usePasswordLink(ctx context.Context, token, password, confirm string) (*convene.User, error) {
	if msg := auth.CheckPasswordPolicy(password); msg != "" {
		return nil, convene.FieldErrorf("password", "%s", msg)
	}
	if password != confirm {
		return nil, convene.FieldErrorf("confirm", "the two passwords differ")
	}
	hash := auth.HashSecret(token)
	if _, _, err := s.store.FindPasswordLink(ctx, hash); err != nil {
		return nil, err
	}
	pw, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.store.UsePasswordLink(ctx, hash, pw)
}

func (s *Server) resetPasswordPage(w http.ResponseWriter, r *http.Request) {
	s.renderDelivery(w, r, http.StatusOK, "password_reset", deliveryView{pageView: pageView{Title: "Reset your password",
		Workspace: r.URL.Query().Get("workspace")}})
}

func (s *Server) resetPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	v := deliveryView{pageView: pageView{Title: "Reset your password"}, Done: true}
	if err := s.requestReset(r.Context(), r.PostFormValue("workspace"), r.PostFormValue("login")); err != nil {
		status, msg := s.pageStatus(r, err)
		v.Done, v.Error = false, msg
		s.renderDelivery(w, r, status, "password_reset", v)
		return
	}
	s.renderDelivery(w, r, http.StatusOK, "password_reset", v)
}

// requestReset sends a reset link if the workspace and login name an
// active user; it answers nil either way, so that nobody learns which.
func (s *Server) requestReset(ctx context.Context, slug, login string) error {
	t, err := s.store.FindTenantBySlug(ctx, strings.ToLower(strings.TrimSpace(slug)))
	if convene.ErrorCode(err) == convene.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	c := convene.NewContactParser(t, s.cfg.Phones).Parse(login)
	if c.Normalized == "" {
		return nil
	}
	return s.store.RequestPasswordReset(convene.NewSystemContext(ctx, t.ID), c.Normalized)
}

// outboxPage lists the messages of the tenant, newest first: what was
// sent (with links, from the log senders) and what waits or failed, and why.
func (s *Server) outboxPage(w http.ResponseWriter, r *http.Request) {
	a, ok := convene.ActorFromContext(r.Context())
	if !ok || a.User == nil {
		http.Redirect(w, r, "/login?next=/outbox", http.StatusSeeOther)
		return
	}
	t, err := s.store.CurrentTenant(r.Context())
	if err != nil {
		status, msg := s.pageStatus(r, err)
		http.Error(w, msg, status)
		return
	}
	v := deliveryView{pageView: pageView{Title: "Outbox", Nav: "outbox", Script: "common.js", Me: a.User, Tenant: t,
		CanMultiInvite: convene.Allowed(a, convene.PermMultiInvite, nil, ""),
		CanManageUsers: convene.Allowed(a, convene.PermManageUsers, nil, "")}}
	jobs, err := s.store.FindJobs(r.Context(), convene.JobFilter{Limit: 200})
	if err != nil {
		status, msg := s.pageStatus(r, err)
		if convene.ErrorCode(err) == convene.EFORBIDDEN {
			status, msg = http.StatusForbidden, "Only Tenant Admins can see the outbox."
		}
		v.Error = msg
		s.renderDelivery(w, r, status, "outbox", v)
		return
	}
	v.Jobs = jobs
	s.renderDelivery(w, r, http.StatusOK, "outbox", v)
}

type resetInput struct {
	Body struct {
		Tenant string `json:"tenant" maxLength:"63" doc:"the workspace (tenant slug)"`
		Login  string `json:"login" maxLength:"320" doc:"email address or phone number"`
	}
}

type setPasswordInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"200"`
		Password string `json:"password" maxLength:"1024"`
	}
}

// registerPasswordAPI registers the password-link endpoints.
func (s *Server) registerPasswordAPI(api huma.API) {
	huma.Register(api, status(public(s.op(http.MethodPost, "/api/v1/auth/password-reset", "requestPasswordReset",
		"Send a password reset link; answers the same whether or not the account exists", "auth", 422)), http.StatusAccepted),
		func(ctx context.Context, in *resetInput) (*struct{}, error) {
			return nil, s.err(ctx, s.requestReset(ctx, in.Body.Tenant, in.Body.Login))
		})
	huma.Register(api, status(public(s.op(http.MethodPost, "/api/v1/auth/set-password", "setPassword",
		"Choose a password with a set-password or reset link's token", "auth", 404, 422)), http.StatusNoContent),
		func(ctx context.Context, in *setPasswordInput) (*struct{}, error) {
			_, err := s.usePasswordLink(ctx, in.Body.Token, in.Body.Password, in.Body.Password)
			return nil, s.err(ctx, err)
		})
}
