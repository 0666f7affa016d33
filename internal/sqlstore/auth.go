package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"convene"
)

// tokenTouchEvery limits how often a token's last use is written.
const tokenTouchEvery = time.Minute

// CreateToken stores t for the acting user, or for t.UserID (a user of the
// tenant) when the system acts. ENOTFOUND for an unknown user, ECONFLICT
// for a hash in use.
func (db *DB) CreateToken(ctx context.Context, t *convene.Token) error {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	if !actor.IsSystem() {
		t.UserID = actor.UserID()
	}
	t.TenantID, t.CreatedAt = actor.TenantID, db.clock()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.findUser(ctx, tx, t.TenantID, t.UserID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO tokens (tenant_id, user_id, name, hash, created_at, last_used_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), t.TenantID, t.UserID, t.Name, t.Hash, ns(t.CreatedAt), ns(t.LastUsedAt)).Scan(&t.ID)
		if db.d.IsUniqueViolation(err) {
			return convene.Errorf(convene.ECONFLICT, "this token already exists")
		} else if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return nil
	})
}

// FindTokens lists the actor's own tokens, newest first.
func (db *DB) FindTokens(ctx context.Context) ([]*convene.Token, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, db, db.read, "token", scanToken, `SELECT id, tenant_id, user_id, name, hash, created_at, last_used_at
		FROM tokens WHERE tenant_id = ? AND user_id = ? ORDER BY id DESC`, actor.TenantID, actor.UserID())
}

func scanToken(row rowScanner) (*convene.Token, error) {
	var t convene.Token
	var created, used int64
	if err := row.Scan(&t.ID, &t.TenantID, &t.UserID, &t.Name, &t.Hash, &created, &used); err != nil {
		return nil, err
	}
	t.CreatedAt, t.LastUsedAt = ts(created), ts(used)
	return &t, nil
}

// RevokeToken deletes one of the actor's tokens; ENOTFOUND if not theirs.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	defer db.tokens.forget()
	res, err := db.write.ExecContext(ctx, db.q(`DELETE FROM tokens WHERE tenant_id = ? AND user_id = ? AND id = ?`), actor.TenantID, actor.UserID(), id)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return convene.Errorf(convene.ENOTFOUND, "token %d not found", id)
	}
	return nil
}

// AuthenticateToken returns the active user owning the token with hash; it
// needs no actor. ENOTFOUND for an unknown token or a disabled user. A
// found token is kept in the token cache for its short validity
// (DefaultTokenCacheFor); an unknown one is asked again every time.
func (db *DB) AuthenticateToken(ctx context.Context, hash string) (*convene.User, error) {
	e, cached, gen := db.tokens.lookup(hash)
	if !cached {
		var err error
		if e, err = db.lookUpToken(ctx, hash); err != nil {
			return nil, err
		}
		db.tokens.store(hash, gen, e)
	}
	now := db.clock()
	if now.Sub(ts(e.usedAt)) >= tokenTouchEvery {
		if _, err := db.write.ExecContext(ctx, db.q(`UPDATE tokens SET last_used_at = ? WHERE id = ?`), ns(now), e.tokenID); err != nil {
			return nil, fmt.Errorf("touch token: %w", err)
		}
		db.tokens.touched(hash, ns(now))
	}
	u := e.user
	return &u, nil
}

// lookUpToken reads the token of hash and its active user.
func (db *DB) lookUpToken(ctx context.Context, hash string) (cachedToken, error) {
	var e cachedToken
	row := db.queryRow(ctx, db.read, `SELECT t.id, t.last_used_at, `+userColumns+`
		FROM tokens t JOIN users u ON u.id = t.user_id AND u.tenant_id = t.tenant_id
		WHERE t.hash = ? AND u.disabled = ?`, hash, false)
	u, err := scanUser(prefixScanner{row, []any{&e.tokenID, &e.usedAt}})
	if err != nil {
		return e, notFound(err, "unknown or revoked token")
	}
	e.user = *u
	return e, nil
}

// prefixScanner scans the first columns of a row into pre, the rest as asked.
type prefixScanner struct {
	row rowScanner
	pre []any
}

func (p prefixScanner) Scan(dest ...any) error { return p.row.Scan(append(p.pre, dest...)...) }
