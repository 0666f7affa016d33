package convene

import (
	"context"
	"time"
)

// Job kinds: each is a message to render and send.
const (
	// JobNotifyBatch tells one person which sessions a multi-invite opened to
	// them. Payload: {"batch_id":N,"user_id":N,"outcomes":"aun..."}, the
	// outcomes being the person's, one letter per session of the batch
	// (OutcomeLetters); jobs queued before they were carried lack them.
	JobNotifyBatch = "notify_batch"
)

// JobStatus is where a job is in its delivery.
type JobStatus string

// The job statuses.
const (
	JobQueued  JobStatus = "queued"  // waiting for its RunAt
	JobRunning JobStatus = "running" // claimed by a worker until its lease ends
	JobSent    JobStatus = "sent"    // delivered
	JobFailed  JobStatus = "failed"  // gave up after its last attempt
)

// Job is a durable piece of work, written in the same transaction as the
// change that causes it, so that a crash between the change and the sending
// loses nothing.
type Job struct {
	ID        int64
	TenantID  int64
	Kind      string
	Payload   []byte // JSON, by Kind
	Status    JobStatus
	Attempts  int
	LastError string
	RunAt     time.Time // not before; during a lease, when the lease ends
	CreatedAt time.Time
	UpdatedAt time.Time

	// What was sent, filled in when the job is done: for the outbox page.
	Channel   string // "email" or "sms"
	Recipient string
	Subject   string
	Body      string
}

// JobFilter selects jobs of the actor's tenant, newest first.
type JobFilter struct {
	Status JobStatus
	Limit  int
}

// JobService is the durable delivery queue. Claiming spans tenants: it is
// the worker's, not a person's, and needs no actor.
type JobService interface {
	// ClaimJobs leases up to limit due jobs (queued, or running with an
	// expired lease) to the caller until now+lease, counting an attempt.
	ClaimJobs(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*Job, error)
	// CompleteJob marks a claimed job sent, recording what was sent.
	CompleteJob(ctx context.Context, job *Job) error
	// RetryJob records a failed attempt: queued again at retryAt, or failed
	// for good when retryAt is zero.
	RetryJob(ctx context.Context, id int64, lastError string, retryAt time.Time) error
	// FindJobs lists the actor's tenant's jobs (the outbox): Tenant Admins.
	FindJobs(ctx context.Context, filter JobFilter) ([]*Job, error)
}
