package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"convene"
)

// storedResult is one BatchResult as stored: the outcomes of a person as one
// letter per session (a added, u upgraded, n unchanged), so that a million
// pairs take about a megabyte.
type storedResult struct {
	Input    string `json:"i"`
	Status   string `json:"s"`
	Reason   string `json:"r,omitempty"`
	UserID   int64  `json:"u,omitempty"`
	Outcomes string `json:"o,omitempty"`
}

var outcomeLetters = map[convene.Outcome]byte{convene.OutcomeAdded: 'a', convene.OutcomeUpgraded: 'u', convene.OutcomeUnchanged: 'n'}

func encodeResults(results []convene.BatchResult) ([]byte, error) {
	out := make([]storedResult, len(results))
	var sb strings.Builder
	for i, r := range results {
		sb.Reset()
		for _, o := range r.Outcomes {
			sb.WriteByte(outcomeLetters[o])
		}
		out[i] = storedResult{Input: r.Input, Status: string(r.Status), Reason: r.Reason, UserID: r.UserID, Outcomes: sb.String()}
	}
	return json.Marshal(out)
}

func decodeResults(data []byte) ([]convene.BatchResult, error) {
	var stored []storedResult
	if err := json.Unmarshal(data, &stored); err != nil {
		return nil, err
	}
	results := make([]convene.BatchResult, len(stored))
	for i, s := range stored {
		r := convene.BatchResult{Input: s.Input, Status: convene.ContactStatus(s.Status), Reason: s.Reason, UserID: s.UserID}
		if r.Status != convene.StatusRegistered {
			r.Counts.Skipped = 1
		} else {
			r.Outcomes = make([]convene.Outcome, len(s.Outcomes))
			for j := range len(s.Outcomes) {
				switch s.Outcomes[j] {
				case 'a':
					r.Outcomes[j] = convene.OutcomeAdded
				case 'u':
					r.Outcomes[j] = convene.OutcomeUpgraded
				default:
					r.Outcomes[j] = convene.OutcomeUnchanged
				}
				r.Counts.Add(r.Outcomes[j])
			}
		}
		results[i] = r
	}
	return results, nil
}

// insertBatch stores b and sets its id; errReplay when a concurrent call
// stored a batch under the same idempotency key first.
func (db *DB) insertBatch(ctx context.Context, tx *sql.Tx, b *convene.Batch) error {
	results, err := encodeResults(b.Results)
	if err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}
	ids, _ := json.Marshal(b.SessionIDs)
	counts, _ := json.Marshal(b.Counts)
	err = tx.QueryRowContext(ctx, db.q(`
		INSERT INTO batches (tenant_id, actor_id, access, idempotency_key, fingerprint, session_ids, results, counts, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		b.TenantID, b.ActorID, string(b.Access), nullStr(b.IdempotencyKey), b.Fingerprint, string(ids), string(results), string(counts), ns(b.CreatedAt),
	).Scan(&b.ID)
	if db.d.IsUniqueViolation(err) {
		return errReplay
	} else if err != nil {
		return fmt.Errorf("insert batch: %w", err)
	}
	return nil
}

const batchSelect = `SELECT id, tenant_id, actor_id, access, COALESCE(idempotency_key, ''), fingerprint, session_ids, results, counts, created_at,
	undone_at, COALESCE(undone_by, 0) FROM batches `

// replay returns the batch the actor stored under key when its fingerprint
// is fp, nil when there is none, and ECONFLICT for another request's key.
func (db *DB) replay(ctx context.Context, q querier, actor convene.Actor, key, fp string) (*convene.Batch, error) {
	row := q.QueryRowContext(ctx, db.q(batchSelect+`WHERE tenant_id = ? AND actor_id = ? AND idempotency_key = ?`), actor.TenantID, actor.UserID(), key)
	b, err := scanBatch(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find batch by key: %w", err)
	}
	if b.Fingerprint != fp {
		return nil, convene.Errorf(convene.ECONFLICT, "this idempotency key was used for another request")
	}
	return b, nil
}

// FindBatch returns a batch of the actor's tenant to its actor and to
// Session and Tenant Admins; ENOTFOUND for anyone else.
func (db *DB) FindBatch(ctx context.Context, id int64) (*convene.Batch, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	b, err := scanBatch(db.read.QueryRowContext(ctx, db.q(batchSelect+`WHERE tenant_id = ? AND id = ?`), actor.TenantID, id))
	if err != nil {
		return nil, notFound(err, "batch %d not found", id)
	}
	if !convene.CanSeeBatch(actor, b) {
		return nil, convene.Errorf(convene.ENOTFOUND, "batch %d not found", id)
	}
	return b, nil
}

func scanBatch(row *sql.Row) (*convene.Batch, error) {
	var b convene.Batch
	var access, ids, results, counts string
	var created, undone int64
	err := row.Scan(&b.ID, &b.TenantID, &b.ActorID, &access, &b.IdempotencyKey, &b.Fingerprint, &ids, &results, &counts, &created,
		&undone, &b.UndoneBy)
	if err != nil {
		return nil, err
	}
	b.Access, b.CreatedAt, b.UndoneAt = convene.Access(access), ts(created), ts(undone)
	if err := json.Unmarshal([]byte(ids), &b.SessionIDs); err != nil {
		return nil, fmt.Errorf("decode batch %d: %w", b.ID, err)
	}
	if err := json.Unmarshal([]byte(counts), &b.Counts); err != nil {
		return nil, fmt.Errorf("decode batch %d: %w", b.ID, err)
	}
	if b.Results, err = decodeResults([]byte(results)); err != nil {
		return nil, fmt.Errorf("decode batch %d: %w", b.ID, err)
	}
	return &b, nil
}
