package convene

import "context"

// Store is everything a database behind Convene provides. internal/sqlite
// (the embedded default) and internal/postgres implement it, and
// internal/storetest holds the one conformance suite both must pass.
type Store interface {
	TenantService
	UserService
	SessionService
	MembershipService
	BatchService
	AuditService
	AuthService
	JobService
	AvatarService
	InvitationService
	PasswordLinkService

	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}
