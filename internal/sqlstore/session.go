package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
)

// sessionColumns are the columns of a session (alias s) with the access of
// the user in the first argument (alias me), its member count and the
// owner's columns that a session shows (alias u): not their password hash
// nor times, so that a page of sessions reads 16 columns a row, not 21
// (on SQLite each column read costs a driver call; docs/perf.md).
const sessionColumns = `s.id, s.tenant_id, s.owner_id, s.title, s.description, s.archived, s.created_at, s.updated_at,
	COALESCE(me.access, ''), s.member_count,
	u.name, COALESCE(u.email, ''), COALESCE(u.phone, ''), u.role, u.disabled, u.has_avatar`

// sessionFrom joins each session (alias s) to its owner (alias u).
const sessionFrom = ` FROM sessions s JOIN users u ON u.id = s.owner_id `

// sessionSelect reads sessions with sessionColumns.
const sessionSelect = `SELECT ` + sessionColumns + sessionFrom

// CreateSession creates s with the actor as its owner, in one transaction
// with the owner's membership and an audit event. EFORBIDDEN for guests,
// EINVALID for a bad title or description.
func (db *DB) CreateSession(ctx context.Context, s *convene.Session) error {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	if err := convene.Authorize(actor, convene.PermCreateSession, nil, ""); err != nil {
		return err
	}
	if actor.IsSystem() {
		return convene.Errorf(convene.EINVALID, "a session needs a person as its owner")
	}
	if err := s.Validate(); err != nil {
		return err
	}
	now := db.clock()
	s.TenantID, s.OwnerID, s.CreatedAt, s.UpdatedAt = actor.TenantID, actor.UserID(), now, now
	return db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`
			INSERT INTO sessions (tenant_id, owner_id, title, description, archived, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			s.TenantID, s.OwnerID, s.Title, s.Description, s.Archived, ns(now), ns(now)).Scan(&s.ID)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		m := &convene.Membership{SessionID: s.ID, UserID: s.OwnerID, Access: convene.AccessOwner, GrantedBy: s.OwnerID}
		if err := db.insertMembership(ctx, tx, m); err != nil {
			return err
		}
		s.Owner, s.MyAccess, s.MemberCount = actor.User, convene.AccessOwner, 1
		return db.insertAudit(ctx, tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: s.OwnerID, Action: convene.AuditSessionCreated, SessionID: s.ID, UserID: s.OwnerID, After: s.Title})
	})
}

// FindSessionByID returns a session the actor may read, or ENOTFOUND.
func (db *DB) FindSessionByID(ctx context.Context, id int64) (*convene.Session, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	return db.readableSession(ctx, db.read, actor, id)
}

// readableSession loads a session of the actor's tenant with the actor's
// access; ENOTFOUND unless the actor may read it.
func (db *DB) readableSession(ctx context.Context, q querier, actor convene.Actor, id int64) (*convene.Session, error) {
	row := q.QueryRowContext(ctx, db.q(sessionSelect+`
		LEFT JOIN memberships me ON me.session_id = s.id AND me.user_id = ?
		WHERE s.tenant_id = ? AND s.id = ?`), actor.UserID(), actor.TenantID, id)
	s, err := scanSession(row)
	if err != nil {
		return nil, notFound(err, "session %d not found", id)
	}
	if !convene.Allowed(actor, convene.PermReadSession, s, s.MyAccess) {
		return nil, convene.Errorf(convene.ENOTFOUND, "session %d not found", id)
	}
	return s, nil
}

// FindSessions lists the sessions the actor may see, newest first: all of
// the tenant's for Tenant and Session Admins, their memberships otherwise.
// EINVALID for a bad cursor.
func (db *DB) FindSessions(ctx context.Context, f convene.SessionFilter) ([]*convene.Session, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	limit := clampLimit(f.Limit, 25, 100)
	after, err := sessionsAfter(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	sessions, err := db.searchSessions(ctx, actor, f.Query, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	sessions, next := sessionsPageOf(sessions, limit)
	return sessions, next, nil
}

// sessionsAfter is the condition of the sessions after cursor, newest
// first; none for no cursor. EINVALID for a bad cursor.
func sessionsAfter(cursor string) (page, error) {
	if cursor == "" {
		return page{}, nil
	}
	var at, id int64
	if err := decodeCursor(cursor, &at, &id); err != nil {
		return page{}, err
	}
	return page{cond: ` AND (s.created_at < ? OR (s.created_at = ? AND s.id < ?))`, args: []any{at, at, id}}, nil
}

// sessionsPageOf cuts the limit+1 sessions read to a page and its next cursor.
func sessionsPageOf(sessions []*convene.Session, limit int) ([]*convene.Session, string) {
	return pageOf(sessions, limit, func(last *convene.Session) string {
		return encodeCursor(ns(last.CreatedAt), last.ID)
	})
}

func (db *DB) querySessions(ctx context.Context, query string, args ...any) ([]*convene.Session, error) {
	return queryAll(ctx, db, db.read, "session", scanSession, query, args...)
}

// scanSession scans sessionColumns; the owner is the one a session shows
// (no password hash nor times).
func scanSession(row rowScanner) (*convene.Session, error) {
	var s convene.Session
	var o convene.User
	var created, updated int64
	var access, role string
	err := row.Scan(&s.ID, &s.TenantID, &s.OwnerID, &s.Title, &s.Description, &s.Archived, &created, &updated, &access, &s.MemberCount,
		&o.Name, &o.Email, &o.Phone, &role, &o.Disabled, &o.HasAvatar)
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt, s.MyAccess = ts(created), ts(updated), convene.Access(access)
	o.ID, o.TenantID, o.Role = s.OwnerID, s.TenantID, convene.Role(role)
	s.Owner = &o
	return &s, nil
}
