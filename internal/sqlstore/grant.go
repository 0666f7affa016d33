package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"convene"
)

// errReplay says that a concurrent call with the same idempotency key
// stored its batch first.
var errReplay = errors.New("idempotency key stored concurrently")

// Grant gives every registered contact of req access to every session of
// req, all in one transaction (contract section 7). EINVALID (with Entries)
// for invalid contacts, ENOTFOUND for an unknown or invisible session,
// EFORBIDDEN for an actor who may not manage one, ETOOLARGE past the limits,
// ECONFLICT for an idempotency key reused with another request.
func (db *DB) Grant(ctx context.Context, req convene.GrantRequest) (*convene.Batch, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if req.Access == "" {
		req.Access = convene.AccessCollaborate
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := convene.Authorize(actor, convene.PermMultiInvite, nil, ""); err != nil {
		return nil, err
	}
	b := &convene.Batch{TenantID: actor.TenantID, ActorID: actor.UserID(), Access: req.Access, SessionIDs: dedupe(req.SessionIDs),
		IdempotencyKey: req.IdempotencyKey, Fingerprint: req.Fingerprint(), CreatedAt: db.clock(), RetryOf: req.RetryOf}
	return db.runBatch(ctx, actor, b, req.SessionQuery, req.Contacts, func(tx *sql.Tx, t *convene.Tenant, res []convene.Resolution) error {
		return db.grantWithMode(ctx, tx, actor, t, &req, b, res)
	})
}

// runBatch runs the write transaction apply of batch b (a multi-invite or
// an access change) with contacts resolved in it (and the tenant read
// with them), and answers the batch, or the one stored before under its
// idempotency key.
func (db *DB) runBatch(ctx context.Context, actor convene.Actor, b *convene.Batch, q *convene.SessionQuery, contacts []string,
	apply func(tx *sql.Tx, t *convene.Tenant, res []convene.Resolution) error) (*convene.Batch, error) {
	// The replay and session checks run here on the read pool, so that a
	// replay or a refusal never waits for the writer, and again inside the
	// write transaction, which alone makes them exact.
	if b.IdempotencyKey != "" {
		if stored, err := db.replay(ctx, db.read, actor, b.IdempotencyKey, b.Fingerprint); stored != nil || err != nil {
			return stored, err
		}
	}
	if q == nil {
		if err := db.checkSessions(ctx, db.read, actor, b.SessionIDs); err != nil {
			return nil, err
		}
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		// Contacts are resolved inside the transaction, so that a user
		// disabled a moment before is skipped, never added.
		t, res, err := db.resolve(ctx, tx, actor, contacts)
		if err != nil {
			return err
		}
		return apply(tx, t, res)
	})
	if errors.Is(err, errReplay) {
		stored, err := db.replay(ctx, db.read, actor, b.IdempotencyKey, b.Fingerprint)
		if err == nil && stored == nil {
			err = fmt.Errorf("batch of key %q vanished", b.IdempotencyKey)
		}
		return stored, err
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// applyGrant is the write transaction of a grant, given its contacts
// resolved in the same transaction; q, when not nil, chooses the sessions
// instead of b.SessionIDs, resolved here. Without write it decides all
// the same and stops before the first write (a preview): b gets no id.
func (db *DB) applyGrant(ctx context.Context, tx *sql.Tx, actor convene.Actor, b *convene.Batch, q *convene.SessionQuery,
	res []convene.Resolution, write bool) error {
	sorted, replayed, err := db.openBatch(ctx, tx, actor, b, q)
	if err != nil || replayed {
		return err
	}
	users := registeredIDs(res)
	existing, err := db.existingAccess(ctx, tx, sorted, users)
	if err != nil {
		return err
	}
	b.Results, b.Counts = convene.DecideBatch(b.SessionIDs, b.Access, res, existing.at)
	if !write {
		return nil
	}
	if err := db.insertBatch(ctx, tx, b); err != nil {
		return err
	}
	return db.writeGrant(ctx, tx, b, sorted, slices.Sorted(slices.Values(users)))
}

// openBatch starts the write transaction of b: the batch stored under its
// idempotency key, if any, replaces b (replayed); otherwise its sessions
// are chosen and locked (lockChosenSessions), b.SessionIDs set, and
// returned sorted.
func (db *DB) openBatch(ctx context.Context, tx *sql.Tx, actor convene.Actor, b *convene.Batch, q *convene.SessionQuery) (sorted []int64, replayed bool, err error) {
	if b.IdempotencyKey != "" {
		stored, err := db.replay(ctx, tx, actor, b.IdempotencyKey, b.Fingerprint)
		if err != nil || stored != nil {
			if stored != nil {
				*b = *stored
			}
			return nil, stored != nil, err
		}
	}
	if b.SessionIDs, err = db.lockChosenSessions(ctx, tx, actor, b.SessionIDs, q); err != nil {
		return nil, false, err
	}
	return slices.Sorted(slices.Values(b.SessionIDs)), false, nil
}

// resolve parses and resolves the contacts with the tenant's settings, as
// tx sees the directory: EINVALID with one entry per invalid contact. It
// returns the tenant it read, for callers that need its settings too.
func (db *DB) resolve(ctx context.Context, tx *sql.Tx, actor convene.Actor, contacts []string) (*convene.Tenant, []convene.Resolution, error) {
	t, err := db.findTenant(ctx, tx, actor.TenantID)
	if err != nil {
		return nil, nil, err
	}
	dir := txDirectory{db: db, tx: tx, tenantID: actor.TenantID}
	res, err := convene.ResolveContacts(ctx, dir, convene.NewContactParser(t, db.phones), contacts)
	if err != nil {
		return nil, nil, err
	}
	if err := convene.RejectInvalid(res); err != nil {
		return nil, nil, err
	}
	return t, res, nil
}

// checkSessions answers ENOTFOUND unless every session exists in the tenant
// and is visible to the actor, then EFORBIDDEN unless the actor may manage
// the members of each (convene.AuthorizeMembers).
func (db *DB) checkSessions(ctx context.Context, q querier, actor convene.Actor, ids []int64) error {
	found, err := db.sessionsToManage(ctx, q, actor, ids)
	if err != nil {
		return err
	}
	return convene.AuthorizeMembers(actor, ids, found)
}

// sessionsToManage reads the sessions of ids that exist in the actor's
// tenant, keyed by id, with just what deciding who may manage them needs:
// tenant, owner and the actor's own access.
func (db *DB) sessionsToManage(ctx context.Context, q querier, actor convene.Actor, ids []int64) (map[int64]*convene.Session, error) {
	sessions, err := queryAll(ctx, db, q, "session", scanSessionAccess, `
		SELECT s.id, s.tenant_id, s.owner_id, COALESCE(me.access, '') FROM sessions s
		LEFT JOIN memberships me ON me.session_id = s.id AND me.user_id = ?
		WHERE s.tenant_id = ? AND `+db.d.InIDs("s.id"), actor.UserID(), actor.TenantID, db.d.IDsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("check sessions: %w", err)
	}
	found := make(map[int64]*convene.Session, len(sessions))
	for _, s := range sessions {
		found[s.ID] = s
	}
	return found, nil
}

func scanSessionAccess(row rowScanner) (*convene.Session, error) {
	var s convene.Session
	var access string
	if err := row.Scan(&s.ID, &s.TenantID, &s.OwnerID, &access); err != nil {
		return nil, err
	}
	s.MyAccess = convene.Access(access)
	return &s, nil
}

// dedupe drops repeated ids, keeping the first of each, in a new slice.
func dedupe(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// registeredIDs returns the users the grant applies to, in input order.
func registeredIDs(res []convene.Resolution) []int64 {
	var ids []int64
	for _, r := range res {
		if r.Status.Granted() && r.User != nil {
			ids = append(ids, r.User.ID)
		}
	}
	return dedupe(ids)
}
