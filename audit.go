package convene

import (
	"context"
	"time"
)

// Audit actions: every change of who may enter a session, and of a
// session's existence, name and files.
const (
	AuditMemberAdded       = "member.added"
	AuditMemberUpgraded    = "member.upgraded"
	AuditAccessChanged     = "member.access_changed"
	AuditMemberRemoved     = "member.removed"
	AuditOwnerTransferred  = "session.owner_transferred"
	AuditSessionCreated    = "session.created"
	AuditSessionDeleted    = "session.deleted"
	AuditSessionRenamed    = "session.renamed"
	AuditFileUploaded      = "file.uploaded"
	AuditFileDeleted       = "file.deleted"
	AuditUserCreated       = "user.created"
	AuditUserUpdated       = "user.updated"
	AuditInvitationCreated = "invitation.created"
	AuditInvitationRevoked = "invitation.revoked"
	AuditInvitationAccept  = "invitation.accepted"
)

// AuditEvent records one change: who did what to which session and user,
// the value before and after, and the batch it was part of. It is written in
// the same transaction as the change.
type AuditEvent struct {
	ID        int64 // unique in the tenant's listing, descending through it
	TenantID  int64
	At        time.Time
	ActorID   int64 // 0 for the system
	Action    string
	SessionID int64 // 0 when no session is involved
	UserID    int64 // the user affected; 0 when none
	Before    string
	After     string
	BatchID   int64 // 0 outside a multi-invite
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	SessionID int64
	UserID    int64
	BatchID   int64
	Limit     int // 1-500; 0 means 100
	Cursor    string
}

// AuditService reads the audit log.
type AuditService interface {
	// FindAuditEvents lists the tenant's events, newest first: Tenant Admins
	// only (EFORBIDDEN).
	FindAuditEvents(ctx context.Context, filter AuditFilter) (events []*AuditEvent, nextCursor string, err error)
}
