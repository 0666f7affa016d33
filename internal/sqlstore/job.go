package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"convene"
)

const jobColumns = `id, tenant_id, kind, payload, status, attempts, last_error, run_at, created_at, updated_at, channel, recipient, subject, body`

// insertJobs queues in tx one job of kind per payload for the tenant, due
// (and created) at: the one statement that adds jobs. Several payloads
// share one prepared statement, which a grant to many people needs.
func (db *DB) insertJobs(ctx context.Context, tx *sql.Tx, tenantID int64, kind string, at time.Time, payloads ...[]byte) error {
	query := db.q(`INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	exec := func(ctx context.Context, args ...any) (sql.Result, error) { return tx.ExecContext(ctx, query, args...) }
	if len(payloads) > 1 {
		stmt, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		defer stmt.Close()
		exec = stmt.ExecContext
	}
	now := ns(at)
	for _, p := range payloads {
		if _, err := exec(ctx, tenantID, kind, p, string(convene.JobQueued), now, now, now); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	return nil
}

// enqueueJob queues one job of kind in tx, due now, with payload as JSON.
func (db *DB) enqueueJob(ctx context.Context, tx *sql.Tx, tenantID int64, kind string, payload any) error {
	p, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return db.insertJobs(ctx, tx, tenantID, kind, db.clock(), p)
}

// ClaimJobs leases up to limit due jobs of any tenant until now+lease,
// counting an attempt: queued ones whose time came, and running ones whose
// lease ended. It needs no actor.
func (db *DB) ClaimJobs(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*convene.Job, error) {
	if limit <= 0 {
		return nil, nil
	}
	var jobs []*convene.Job
	err := db.inTxKeepingPages(ctx, func(tx *sql.Tx) error {
		var err error
		jobs, err = queryAll(ctx, db, tx, "job", scanJob, `UPDATE jobs SET status = ?, attempts = attempts + 1, run_at = ?, updated_at = ?
			WHERE id IN (SELECT id FROM jobs WHERE status IN (?, ?) AND run_at <= ? ORDER BY run_at, id LIMIT ?`+db.d.SkipLocked()+`)
			RETURNING `+jobColumns,
			string(convene.JobRunning), ns(now.Add(lease)), ns(now), string(convene.JobQueued), string(convene.JobRunning), ns(now), limit)
		if err != nil {
			return fmt.Errorf("claim jobs: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(jobs, func(a, b *convene.Job) int { return int(a.ID - b.ID) })
	return jobs, nil
}

// CompleteJob marks a claimed job sent, recording what was sent.
// ENOTFOUND for an unknown job.
func (db *DB) CompleteJob(ctx context.Context, job *convene.Job) error {
	job.Status, job.UpdatedAt = convene.JobSent, db.clock()
	return db.updateJob(ctx, `UPDATE jobs SET status = ?, updated_at = ?, channel = ?, recipient = ?, subject = ?, body = ? WHERE id = ?`,
		job.ID, string(job.Status), ns(job.UpdatedAt), job.Channel, job.Recipient, job.Subject, job.Body, job.ID)
}

// RetryJob records a failed attempt: queued again at retryAt, or failed for
// good when retryAt is zero. ENOTFOUND for an unknown job.
func (db *DB) RetryJob(ctx context.Context, id int64, lastError string, retryAt time.Time) error {
	now := db.clock()
	if retryAt.IsZero() {
		return db.updateJob(ctx, `UPDATE jobs SET status = ?, last_error = ?, updated_at = ? WHERE id = ?`,
			id, string(convene.JobFailed), lastError, ns(now), id)
	}
	return db.updateJob(ctx, `UPDATE jobs SET status = ?, last_error = ?, run_at = ?, updated_at = ? WHERE id = ?`,
		id, string(convene.JobQueued), lastError, ns(retryAt), ns(now), id)
}

func (db *DB) updateJob(ctx context.Context, query string, id int64, args ...any) error {
	res, err := db.write.ExecContext(ctx, db.q(query), args...)
	if err != nil {
		return fmt.Errorf("update job %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return convene.Errorf(convene.ENOTFOUND, "job %d not found", id)
	}
	return nil
}

// FindJobs lists the actor's tenant's jobs, newest first: Tenant Admins
// (EFORBIDDEN).
func (db *DB) FindJobs(ctx context.Context, f convene.JobFilter) ([]*convene.Job, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := convene.Authorize(actor, convene.PermManageTenant, nil, ""); err != nil {
		return nil, err
	}
	query, args := `SELECT `+jobColumns+` FROM jobs WHERE tenant_id = ?`, []any{actor.TenantID}
	if f.Status != "" {
		query += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	query += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, clampLimit(f.Limit, 50, 1000))
	return queryAll(ctx, db, db.read, "job", scanJob, query, args...)
}

func scanJob(row rowScanner) (*convene.Job, error) {
	var j convene.Job
	var status string
	var runAt, created, updated int64
	err := row.Scan(&j.ID, &j.TenantID, &j.Kind, &j.Payload, &status, &j.Attempts, &j.LastError, &runAt, &created, &updated,
		&j.Channel, &j.Recipient, &j.Subject, &j.Body)
	if err != nil {
		return nil, err
	}
	j.Status, j.RunAt, j.CreatedAt, j.UpdatedAt = convene.JobStatus(status), ts(runAt), ts(created), ts(updated)
	return &j, nil
}
