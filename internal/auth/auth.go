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
	"runtime"
	"sync/atomic"

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

// HashPassword returns the argon2id hash of password, waiting for one of
// the hashing slots (see hashing).
func HashPassword(password string) (string, error) {
	defer hashing.acquire()()
	return argon2id.CreateHash(password, params)
}

// dummyHash is compared against when there is no user, so that an unknown
// login costs the same time as a wrong password.
var dummyHash, _ = argon2id.CreateHash("no such user: constant-time filler", params)

// CheckPassword reports whether password matches hash. An empty hash (no
// user, or no password set yet) is checked against a dummy so that the
// answer takes the same time either way, and is always false.
func CheckPassword(password, hash string) bool {
	defer hashing.acquire()()
	if hash == "" || len(password) > MaxPasswordLen {
		argon2id.ComparePasswordAndHash(password[:min(len(password), MaxPasswordLen)], dummyHash)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

// hashing bounds how many argon2id computations run at once to the CPUs
// the process may use: each takes params.Memory (64 MiB) and a core's
// worth of work, so 50 concurrent sign-ins or accepted invitations hashing
// at once would take 3 GiB and slow every one of them down alike. Beyond
// the bound a caller waits for a slot (never fails); the hash runs as soon
// as one is free. It is the process's one pool of that resource, as the
// CPUs are, hence held at package level.
var hashing = newSlots(runtime.GOMAXPROCS(0))

// slots is a counting semaphore that remembers its peak use, for tests.
type slots struct {
	free           chan struct{}
	inFlight, peak atomic.Int64
}

func newSlots(n int) *slots { return &slots{free: make(chan struct{}, max(1, n))} }

// acquire waits for a slot and returns its release.
func (s *slots) acquire() (release func()) {
	s.free <- struct{}{}
	n := s.inFlight.Add(1)
	for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
	}
	return func() {
		s.inFlight.Add(-1)
		<-s.free
	}
}
