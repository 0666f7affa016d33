package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

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
	// What the request and guest modes made (section 14).
	RequestID    int64 `json:"q,omitempty"`
	InvitationID int64 `json:"v,omitempty"`
}

// Batch kinds, as stored.
const (
	kindGrant  = "grant"
	kindAccess = "access"
)

// batchKind is the stored kind of b and what its access column holds.
func batchKind(b *convene.Batch) (kind, access string) {
	if b.Action != "" {
		return kindAccess, string(b.Action)
	}
	return kindGrant, string(b.Access)
}

func encodeResults(b *convene.Batch) ([]byte, error) {
	out := make([]storedResult, len(b.Results))
	for i, r := range b.Results {
		letters := convene.OutcomeLetters(r.Outcomes)
		if b.Action != "" {
			letters = convene.AccessLetters(r.Outcomes, r.Before)
		}
		out[i] = storedResult{Input: r.Input, Status: string(r.Status), Reason: r.Reason, UserID: r.UserID, Outcomes: letters,
			RequestID: r.RequestID, InvitationID: r.InvitationID}
	}
	return json.Marshal(out)
}

func decodeResults(data []byte, access bool) ([]convene.BatchResult, error) {
	var stored []storedResult
	if err := json.Unmarshal(data, &stored); err != nil {
		return nil, err
	}
	results := make([]convene.BatchResult, len(stored))
	for i, s := range stored {
		r := convene.BatchResult{Input: s.Input, Status: convene.ContactStatus(s.Status), Reason: s.Reason, UserID: s.UserID,
			RequestID: s.RequestID, InvitationID: s.InvitationID}
		if r.Status.Granted() {
			r.Outcomes = convene.OutcomesFromLetters(s.Outcomes)
			if access {
				r.Outcomes, r.Before = convene.AccessOutcomesFromLetters(s.Outcomes)
			}
		}
		r.Counts = convene.EntryCounts(r.Status, r.Outcomes)
		results[i] = r
	}
	return results, nil
}

// insertBatch stores b and sets its id; errReplay when a concurrent call
// stored a batch under the same idempotency key first.
func (db *DB) insertBatch(ctx context.Context, tx *sql.Tx, b *convene.Batch) error {
	results, err := encodeResults(b)
	if err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}
	ids, _ := json.Marshal(b.SessionIDs)
	counts, _ := json.Marshal(b.Counts)
	kind, access := batchKind(b)
	err = tx.QueryRowContext(ctx, db.q(`
		INSERT INTO batches (tenant_id, actor_id, kind, access, idempotency_key, fingerprint, session_ids, results, counts, created_at, retry_of, people)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		b.TenantID, b.ActorID, kind, access, nullStr(b.IdempotencyKey), b.Fingerprint, string(ids), string(results), string(counts), ns(b.CreatedAt),
		nullID(b.RetryOf), len(b.Results),
	).Scan(&b.ID)
	if db.d.IsUniqueViolation(err) {
		return errReplay
	} else if err != nil {
		return fmt.Errorf("insert batch: %w", err)
	}
	return nil
}

// batchColumns are the columns scanBatch reads but the results, which come
// last: batchSelect reads them, summarySelect an empty string instead.
const batchColumns = `SELECT id, tenant_id, actor_id, kind, access, COALESCE(idempotency_key, ''), fingerprint, session_ids, counts, created_at,
	undone_at, COALESCE(undone_by, 0), COALESCE(retry_of, 0), people, `

const (
	batchSelect   = batchColumns + `results FROM batches `
	summarySelect = batchColumns + `'' FROM batches `
)

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
	return db.findBatch(ctx, batchSelect, id)
}

// FindBatchSummary is FindBatch without reading or decoding the results:
// a batch's notify job reads it once per person, and the results of a
// million pairs are a megabyte.
func (db *DB) FindBatchSummary(ctx context.Context, id int64) (*convene.Batch, error) {
	return db.findBatch(ctx, summarySelect, id)
}

func (db *DB) findBatch(ctx context.Context, query string, id int64) (*convene.Batch, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	b, err := scanBatch(db.read.QueryRowContext(ctx, db.q(query+`WHERE tenant_id = ? AND id = ?`), actor.TenantID, id))
	if err != nil {
		return nil, notFound(err, "batch %d not found", id)
	}
	if !convene.CanSeeBatch(actor, b) {
		return nil, convene.Errorf(convene.ENOTFOUND, "batch %d not found", id)
	}
	return b, nil
}

// SessionTitles returns, by id, the titles of those of ids that are
// sessions of the actor's tenant the actor may read.
func (db *DB) SessionTitles(ctx context.Context, ids []int64) (map[int64]string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil || len(ids) == 0 {
		return map[int64]string{}, err
	}
	type titled struct {
		s      convene.Session
		access string
	}
	rows, err := queryAll(ctx, db, db.read, "session", func(r rowScanner) (t titled, err error) {
		return t, r.Scan(&t.s.ID, &t.s.TenantID, &t.s.OwnerID, &t.s.Title, &t.access)
	}, `SELECT s.id, s.tenant_id, s.owner_id, s.title, COALESCE(me.access, '') FROM sessions s
		LEFT JOIN memberships me ON me.session_id = s.id AND me.user_id = ?
		WHERE s.tenant_id = ? AND `+db.d.InIDs("s.id"), actor.UserID(), actor.TenantID, db.d.IDsArg(ids))
	if err != nil {
		return nil, err
	}
	titles := make(map[int64]string, len(rows))
	for _, t := range rows {
		if convene.Allowed(actor, convene.PermReadSession, &t.s, convene.Access(t.access)) {
			titles[t.s.ID] = t.s.Title
		}
	}
	return titles, nil
}

func scanBatch(row rowScanner) (*convene.Batch, error) {
	var b convene.Batch
	var kind, access, ids, results, counts string
	var created, undone int64
	err := row.Scan(&b.ID, &b.TenantID, &b.ActorID, &kind, &access, &b.IdempotencyKey, &b.Fingerprint, &ids, &counts, &created,
		&undone, &b.UndoneBy, &b.RetryOf, &b.People, &results)
	if err != nil {
		return nil, err
	}
	b.Access, b.CreatedAt, b.UndoneAt = convene.Access(access), ts(created), ts(undone)
	if kind == kindAccess {
		b.Access, b.Action = "", convene.AccessAction(access)
	}
	if err := json.Unmarshal([]byte(ids), &b.SessionIDs); err != nil {
		return nil, fmt.Errorf("decode batch %d: %w", b.ID, err)
	}
	if err := json.Unmarshal([]byte(counts), &b.Counts); err != nil {
		return nil, fmt.Errorf("decode batch %d: %w", b.ID, err)
	}
	if results == "" {
		return &b, nil // a summary
	}
	if b.Results, err = decodeResults([]byte(results), kind == kindAccess); err != nil {
		return nil, fmt.Errorf("decode batch %d: %w", b.ID, err)
	}
	return &b, nil
}
