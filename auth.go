package convene

import (
	"context"
	"time"
)

// Token is an API token: a bearer secret shown once, stored only as a hash.
type Token struct {
	ID         int64
	TenantID   int64
	UserID     int64
	Name       string
	Hash       string // hex SHA-256 of the secret
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// LoginSession is a signed-in browser session behind a cookie, stored only
// as a hash of the cookie's value.
type LoginSession struct {
	Hash       string
	TenantID   int64
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute timeout
}

// AuthService stores credentials. Lookups by hash need no actor: they are
// how a request finds its actor. Each returns the user only while they and
// the credential are active: ENOTFOUND otherwise (disabled users included).
type AuthService interface {
	// CreateToken stores t (Hash set by the caller) for the actor, or for
	// t.UserID when the system acts.
	CreateToken(ctx context.Context, t *Token) error
	// FindTokens lists the actor's own tokens.
	FindTokens(ctx context.Context) ([]*Token, error)
	// RevokeToken deletes one of the actor's tokens; ENOTFOUND if not theirs.
	RevokeToken(ctx context.Context, id int64) error
	// AuthenticateToken returns the active user owning the token with hash.
	AuthenticateToken(ctx context.Context, hash string) (*User, error)

	// CreateLoginSession stores s.
	CreateLoginSession(ctx context.Context, s *LoginSession) error
	// AuthenticateLoginSession returns the session with hash and its active
	// user, if it is not expired at now (absolute or idle), and marks it seen.
	AuthenticateLoginSession(ctx context.Context, hash string, now time.Time, idle time.Duration) (*LoginSession, *User, error)
	// DeleteLoginSession revokes a session (logout).
	DeleteLoginSession(ctx context.Context, hash string) error
}
