package convene

import (
	"context"
	"time"
)

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

// RateBuckets keeps token buckets in the database, so that every instance
// sharing it sees the same ones: a rate limit then holds for the whole
// deployment, not per process. A bucket holds at most burst tokens and
// regains one every interval; keys are the caller's (they are not
// confined to a tenant: a client address is a key too).
type RateBuckets interface {
	// RateWait returns how long from now until key's bucket has a token;
	// 0 when it has one.
	RateWait(ctx context.Context, key string, now time.Time, interval time.Duration, burst int) (time.Duration, error)
	// RateTake spends one token of key's bucket when it has one at now,
	// atomically, and reports whether it did.
	RateTake(ctx context.Context, key string, now time.Time, interval time.Duration, burst int) (bool, error)
	// RateSweep forgets the buckets that are full at now (a missing
	// bucket is a full one).
	RateSweep(ctx context.Context, now time.Time) error
}
