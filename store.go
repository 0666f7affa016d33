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
	NoteService
	MessageService
	FileService
	EventLog
	AccessRequestService
	BatchHistoryService
	UserImportService

	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// RateBuckets keeps token buckets in the database, so that every instance
// sharing it sees the same ones: a rate limit then holds for the whole
// deployment, not per process. Keys are the caller's (they are not
// confined to a tenant: a client address is a key too).
type RateBuckets interface {
	// RateWait returns how long from now until every one of buckets has a
	// token; 0 when they all have one.
	RateWait(ctx context.Context, now time.Time, buckets ...Bucket) (time.Duration, error)
	// RateTake spends one token of each of buckets when they all have one
	// at now, atomically, and reports whether it did; otherwise it spends
	// none.
	RateTake(ctx context.Context, now time.Time, buckets ...Bucket) (bool, error)
	// RateSweep forgets the buckets that are full at now (a missing
	// bucket is a full one).
	RateSweep(ctx context.Context, now time.Time) error
}

// Bucket names one token bucket and its shape: it holds at most Burst
// tokens and regains one every Interval.
type Bucket struct {
	Key      string
	Interval time.Duration
	Burst    int
}
