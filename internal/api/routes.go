// Package api is Convene's JSON API under /api/v1 and /healthz, described by
// an OpenAPI 3.1 document generated from the code (openapi.go) with huma.
// Routes lists every operation; each resource has its own file. The HTTP
// plumbing (authentication, problem documents, the error table, rate
// limits) is internal/httpd; the dashboard is internal/ui.
package api

import (
	"log/slog"
	"net/http"
	"runtime"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"convene"
	"convene/internal/httpd"
	"convene/internal/markdown"
)

// Server is the API surface, mounted on the plumbing it embeds.
type Server struct {
	*httpd.Server
	store convene.Store
	log   *slog.Logger
	cfg   *httpd.Config
	mux   *http.ServeMux

	drawing chan struct{} // one token per thumbnail being drawn (thumbnail.go)
	// markdown renders the bodies of notes for their body_html.
	markdown *markdown.Renderer
	// frames holds the last event framed for the event streams (events.go).
	frames frameCache
}

// Mount registers every operation of the API on srv and returns its huma
// API (its OpenAPI document included).
func Mount(srv *httpd.Server) huma.API {
	s := &Server{Server: srv, store: srv.Store(), log: srv.Log(), cfg: srv.Config(), mux: srv.Mux(),
		drawing: make(chan struct{}, runtime.NumCPU()), markdown: markdown.New()}
	api := humago.New(s.mux, s.apiConfig())
	api.UseMiddleware(keepRequest)
	s.routes(api)
	s.mux.HandleFunc("/api/v1/", s.unknownEndpoint)
	return api
}

// routes is the one list of the API's operations, by resource. A new
// endpoint gets a line here and a handler in its resource's file; the
// authorization matrix test then insists on a row for it.
func (s *Server) routes(api huma.API) {
	// Health
	huma.Register(api, s.public(s.op(http.MethodGet, "/healthz", "health", "Whether the server and its database answer", "meta", 503)), s.health)

	// Sign-in (auth.go) and password links (password.go)
	huma.Register(api, s.public(s.op(http.MethodPost, "/api/v1/auth/login", "login",
		"Sign in with workspace, email or phone, and password; sets the session cookie", "auth", 401, 422, 429, 503)), s.login)
	huma.Register(api, status(s.public(s.op(http.MethodPost, "/api/v1/auth/logout", "logout",
		"Sign out: revokes the login session and clears the cookie", "auth")), http.StatusNoContent), s.logout)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/me", "me", "The signed-in user, their tenant and permissions", "auth", 401), s.getMe)
	huma.Register(api, status(s.public(s.op(http.MethodPost, "/api/v1/auth/password-reset", "requestPasswordReset",
		"Send a password reset link; answers the same whether or not the account exists", "auth", 422, 429, 503)), http.StatusAccepted),
		s.requestPasswordReset)
	huma.Register(api, status(s.public(s.op(http.MethodPost, "/api/v1/auth/set-password", "setPassword",
		"Choose a password with a set-password or reset link's token", "auth", 404, 422)), http.StatusNoContent),
		s.setPassword)

	// API tokens
	huma.Register(api, s.op(http.MethodGet, "/api/v1/tokens", "listTokens", "The caller's own API tokens", "tokens", 401), s.listTokens)
	huma.Register(api, status(s.op(http.MethodPost, "/api/v1/tokens", "createToken", "Create an API token for the caller; the secret is shown once", "tokens", 401, 422), http.StatusCreated), s.createToken)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/tokens/{id}", "revokeToken", "Revoke one of the caller's API tokens", "tokens", 401, 404), http.StatusNoContent), s.revokeToken)

	// The tenant
	huma.Register(api, s.needs(s.op(http.MethodGet, "/api/v1/tenant", "getTenant", "The caller's tenant and its settings (Tenant Admins)", "tenant", 401, 403), convene.PermManageTenant), s.getTenant)
	huma.Register(api, s.needs(s.op(http.MethodPatch, "/api/v1/tenant", "updateTenant", "Change the tenant's settings (Tenant Admins)", "tenant", 401, 403, 422), convene.PermManageTenant), s.updateTenant)

	// Users
	huma.Register(api, s.needs(s.op(http.MethodGet, "/api/v1/users", "listUsers", "The tenant's directory, by name (not for guests); q matches name, email or phone, 50 a page by default", "users", 401, 403, 422), convene.PermReadDirectory), s.listUsers)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/users/{id}", "getUser", "One user of the directory (anyone may read themself)", "users", 401, 404), s.getUser)
	huma.Register(api, status(s.needs(s.op(http.MethodPost, "/api/v1/users", "createUser", "Register a user in the tenant (Tenant Admins)", "users", 401, 403, 409, 422), convene.PermManageUsers), http.StatusCreated), s.createUser)
	huma.Register(api, s.op(http.MethodPatch, "/api/v1/users/{id}", "updateUser", "Change a user's name, role or disabled (Tenant Admins; anyone their own name)", "users", 401, 403, 404, 422), s.updateUser)

	huma.Register(api, s.needs(s.op(http.MethodGet, "/api/v1/users/{id}/sessions", "listUserSessions",
		"The sessions of one person with their access, newest membership first, 100 a page by default (Tenant Admins)", "users", 401, 403, 404, 422), convene.PermManageUsers), s.listUserSessions)

	// Sessions
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions", "listSessions", "The sessions the caller may see, newest first; q matches the title anywhere, 25 a page by default", "sessions", 401, 422), s.listSessions)
	huma.Register(api, status(s.needs(s.op(http.MethodPost, "/api/v1/sessions", "createSession", "Create a session owned by the caller", "sessions", 401, 403, 422), convene.PermCreateSession), http.StatusCreated), s.createSession)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}", "getSession", "One session", "sessions", 401, 404), s.getSession)
	huma.Register(api, s.op(http.MethodPatch, "/api/v1/sessions/{id}", "updateSession", "Change title, description or archived (owner, Tenant Admins)", "sessions", 401, 403, 404, 422), s.updateSession)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/sessions/{id}", "deleteSession", "Delete a session and its memberships (owner, Tenant Admins)", "sessions", 401, 403, 404), http.StatusNoContent), s.deleteSession)

	// Members of a session
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}/members", "listMembers", "A session's members, the owner first, then by name; q searches name, email or phone; 100 a page by default, at most 500", "sessions", 401, 404, 422), s.listMembers)
	huma.Register(api, s.op(http.MethodPut, "/api/v1/sessions/{id}/members/{user_id}", "setMemberAccess",
		"Set a member's access, either way (owner, Session and Tenant Admins); Session and Tenant Admins may also add a user of the tenant this way", "sessions", 401, 403, 404, 422), s.setMemberAccess)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/sessions/{id}/members/{user_id}", "removeMember",
		"Take a member out of a session; the owner stays (owner, Session and Tenant Admins)", "sessions", 401, 403, 404, 422), http.StatusNoContent), s.removeMember)

	// Notes of a session (notes.go): ETag / If-Match, contract section 13
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}/notes", "listNotes", "A session's notes, oldest first, 50 a page by default", "notes", 401, 404, 422), s.listNotes)
	huma.Register(api, status(s.op(http.MethodPost, "/api/v1/sessions/{id}/notes", "createNote", "Add a note (Markdown) to a session (owner, collaborators, admins)", "notes", 401, 403, 404, 422), http.StatusCreated), s.createNote)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}/notes/{note_id}", "getNote", "One note; ETag is its version", "notes", 401, 404), s.getNote)
	huma.Register(api, s.op(http.MethodPatch, "/api/v1/sessions/{id}/notes/{note_id}", "updateNote", "Change a note: If-Match names the version changed (412 when stale, 428 without)", "notes", 401, 403, 404, 412, 422, 428), s.updateNote)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/sessions/{id}/notes/{note_id}", "deleteNote", "Delete a note: If-Match names the version deleted (412 when stale, 428 without)", "notes", 401, 403, 404, 412, 422, 428), http.StatusNoContent), s.deleteNote)

	// The discussion of a session (messages.go)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}/messages", "listMessages", "A session's messages, oldest first (or newest first with order=newest), 50 a page by default", "messages", 401, 404, 422), s.listMessages)
	huma.Register(api, status(s.op(http.MethodPost, "/api/v1/sessions/{id}/messages", "postMessage", "Post a message to a session's discussion", "messages", 401, 403, 404, 422), http.StatusCreated), s.postMessage)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/sessions/{id}/messages/{message_id}", "deleteMessage", "Delete a message (its author, the owner, admins)", "messages", 401, 403, 404), http.StatusNoContent), s.deleteMessage)

	// Files of a session (files.go): streamed in and out
	s.registerUpload(api)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}/files", "listFiles", "A session's files, newest first, 50 a page by default", "files", 401, 404, 422), s.listFiles)
	huma.Register(api, s.downloadOp(), s.downloadFile)
	huma.Register(api, s.thumbnailOp(), s.fileThumbnail) // beyond the contract: docs/api.md
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/sessions/{id}/files/{file_id}", "deleteFile", "Delete a file", "files", 401, 403, 404), http.StatusNoContent), s.deleteFile)

	// Live events of a session (events.go): Server-Sent Events
	huma.Register(api, s.eventsOp(), s.sessionEvents)

	// Ownership of a session
	huma.Register(api, s.op(http.MethodPut, "/api/v1/sessions/{id}/owner", "transferOwnership",
		"Make another user the session's owner; the previous owner stays as a collaborator (owner, Session and Tenant Admins)", "sessions", 401, 403, 404, 422),
		s.transferOwnership)

	// Contact resolution
	huma.Register(api, s.needs(s.op(http.MethodPost, "/api/v1/contacts/resolve", "resolveContacts",
		"Parse pasted contacts and match them against the directory, in input order (not for guests)", "contacts", 401, 403, 413, 422, 429, 503), convene.PermReadDirectory),
		s.resolveContacts)

	// The multi-invite and its batches
	huma.Register(api, s.needs(s.op(http.MethodPost, "/api/v1/invitations/bulk", "bulkInvite",
		"Multi-invite: give every registered contact access to every listed session, all or nothing (Session and Tenant Admins)",
		"invitations", 401, 403, 404, 409, 413, 422, 429, 503), convene.PermMultiInvite), s.multiInvite)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/invitations/batches/{batch_id}", "getBatch",
		"The result of a multi-invite, again (its author, Session and Tenant Admins)", "invitations", 401, 404), s.getBatch)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/invitations/batches/{batch_id}/pairs", "listBatchPairs",
		"The person x session outcomes of a multi-invite, page by page", "invitations", 401, 404, 422), s.listBatchPairs)

	// Contract section 14: the preview, the history of batches, access
	// requests and the CSV import of users (batches.go,
	// access_requests.go, users_import.go)
	huma.Register(api, s.needs(s.op(http.MethodPost, "/api/v1/invitations/bulk/preview", "previewBulkInvite",
		"What a multi-invite would do, with the same validation and answer, writing nothing (Session and Tenant Admins)",
		"invitations", 401, 403, 404, 413, 422, 429, 503), convene.PermMultiInvite), s.previewInvite)
	huma.Register(api, s.needs(s.op(http.MethodGet, "/api/v1/invitations/batches", "listBatches",
		"Multi-invites, newest first (Tenant Admins: the tenant's; Session Admins: their own)", "invitations", 401, 403, 422), convene.PermMultiInvite), s.listBatches)
	huma.Register(api, csvResponse(s.op(http.MethodGet, "/api/v1/invitations/batches/{batch_id}/pairs.csv", "downloadBatchPairs",
		"The person x session outcomes of a multi-invite as CSV, streamed", "invitations", 401, 404, 422),
		"contact,status,user_id,session_id,session_title,outcome,reason; cells a spreadsheet would run as formulas start with '"), s.pairsCSV)
	huma.Register(api, s.op(http.MethodPost, "/api/v1/invitations/batches/{batch_id}/retry", "retryBatch",
		"Send again, as a new batch, only the entries a multi-invite skipped, resolved afresh (its author, Session and Tenant Admins)",
		"invitations", 401, 403, 404, 422, 429, 503), s.retryBatch)
	huma.Register(api, s.needs(s.op(http.MethodGet, "/api/v1/access-requests", "listAccessRequests",
		"Access requests for people not registered yet (Tenant Admins: the tenant's; Session Admins: their own)", "access-requests", 401, 403, 422), convene.PermMultiInvite), s.listAccessRequests)
	huma.Register(api, s.needs(s.op(http.MethodPost, "/api/v1/access-requests/approve", "approveAccessRequests",
		"Register the person of each request and grant it, all or none (Tenant Admins)", "access-requests", 401, 403, 404, 413, 422), convene.PermManageUsers), s.approveAccessRequests)
	huma.Register(api, s.needs(s.op(http.MethodPost, "/api/v1/access-requests/decline", "declineAccessRequests",
		"Decline access requests, all or none (Tenant Admins; Session Admins their own)", "access-requests", 401, 403, 404, 413, 422), convene.PermMultiInvite), s.declineAccessRequests)
	huma.Register(api, s.needs(s.op(http.MethodPost, "/api/v1/users/import", "importUsers",
		"Register the users of a CSV file (email, phone, name, role), all or nothing; rows already registered are unchanged (Tenant Admins)",
		"users", 401, 403, 413, 415, 422), convene.PermManageUsers), s.importUsers)
	describeImportForm(api)

	// Undo of a multi-invite: beyond contract section 7, see docs/api.md
	huma.Register(api, s.op(http.MethodPost, "/api/v1/invitations/batches/{batch_id}/undo", "undoBatch",
		"Undo a multi-invite: remove the pairs it added and set the pairs it upgraded back to view, unless changed since (its author, Session and Tenant Admins)",
		"invitations", 401, 403, 404, 409, 422, 429, 503), s.undoBatch)

	// The bulk access change (contract section 15): a batch like a multi-invite
	huma.Register(api, s.needs(s.op(http.MethodPost, "/api/v1/access/bulk", "bulkChangeAccess",
		"Set (either way) or remove the access of every registered contact in every listed or matching session, all or nothing; owners never change (Session and Tenant Admins)",
		"invitations", 401, 403, 404, 409, 413, 422, 429, 503), convene.PermMultiInvite), s.changeAccess)

	// The audit log
	huma.Register(api, s.needs(s.op(http.MethodGet, "/api/v1/audit", "listAudit",
		"Every access change of the tenant, newest first (Tenant Admins)", "audit", 401, 403, 422), convene.PermReadAudit), s.listAudit)

	// Guest invitations to one session
	huma.Register(api, s.op(http.MethodPost, "/api/v1/sessions/{id}/invitations", "inviteToSession",
		"Add registered contacts to a session and invite unregistered ones as guests (owner, Session and Tenant Admins)", "invitations", 401, 403, 404, 413, 422, 429, 503),
		s.inviteToSession)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}/invitations", "listSessionInvitations",
		"A session's pending guest invitations (owner, Session and Tenant Admins)", "invitations", 401, 403, 404), s.listSessionInvitations)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/invitations", "listInvitations",
		"Pending guest invitations of the workspace (Session and Tenant Admins; others: of the sessions they own)", "invitations", 401, 403), s.listInvitations)
	huma.Register(api, s.op(http.MethodPost, "/api/v1/invitations/{id}/resend", "resendInvitation",
		"Send a pending invitation again with a fresh link; the old link stops working", "invitations", 401, 403, 404, 410, 422, 429, 503), s.resendInvitation)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/invitations/{id}", "revokeInvitation",
		"Revoke a pending invitation: its link stops working", "invitations", 401, 403, 404, 410, 422), http.StatusNoContent), s.revokeInvitation)
	huma.Register(api, s.public(s.op(http.MethodPost, "/api/v1/invitations/accept", "acceptInvitation",
		"Register as a guest with an invitation's token; signs the guest in", "invitations", 404, 410, 422, 429, 503)), s.acceptInvitation)
}
