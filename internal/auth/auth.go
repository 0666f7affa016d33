// Package auth holds the secrets of sign-in: password hashes (argon2id) and
// random bearer secrets (API tokens, cookie session ids, single-use links),
// which are shown once and stored only as a hash.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/alexedwards/argon2id"
)

// SecretBytes is the entropy of every generated secret: 256 bits, twice the
// 128 the contract asks for.
const SecretBytes = 32

// NewSecret returns a random URL-safe secret and the hash to store for it.
func NewSecret() (secret, hash string) {
	b := make([]byte, SecretBytes)
	rand.Read(b) // never fails on Linux; see crypto/rand.Read
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// UnknownSecretHash returns the hash of a fresh secret that is thrown
// away: what a row holds for a link whose real secret is minted later,
// when its message is sent. Nobody can present a secret matching it.
func UnknownSecretHash() string {
	_, hash := NewSecret()
	return hash
}

// HashSecret returns the stored form of a secret: hex SHA-256. A fast hash
// is right here because secrets are random and long, unlike passwords.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Params are the argon2id parameters: RFC 9106's second recommended option
// scaled to keep a sign-in well under a second on a small machine.
var params = &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// MinPasswordLen and MaxPasswordLen bound passwords; the upper bound keeps
// hashing cost bounded for hostile input.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// CheckPasswordPolicy returns a message for a person when password is not
// acceptable, or "".
func CheckPasswordPolicy(password string) string {
	switch {
	case len(password) < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return fmt.Sprintf("must be at most %d characters", MaxPasswordLen)
	}
	return ""
}

// HashPassword returns the argon2id hash of password.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, params)
}

// dummyHash is compared against when there is no user, so that an unknown
// login costs the same time as a wrong password.
var dummyHash, _ = argon2id.CreateHash("no such user: constant-time filler", params)

// CheckPassword reports whether password matches hash. An empty hash (no
// user, or no password set yet) is checked against a dummy so that the
// answer takes the same time either way, and is always false.
func CheckPassword(password, hash string) bool {
	if hash == "" || len(password) > MaxPasswordLen {
		argon2id.ComparePasswordAndHash(password[:min(len(password), MaxPasswordLen)], dummyHash)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
