// Package poll is the tests' one way to wait for something another
// goroutine or process brings about: it checks a condition again and again
// until it holds, and fails the test with a clear message when a bound runs
// out. Tests wait on an observable signal this way, never on a fixed sleep.
package poll

import (
	"errors"
	"testing"
	"time"
)

// The pause between two checks starts short, so that a condition that
// holds almost at once costs almost nothing, and grows to at most
// maxInterval, so that a slow one does not keep a busy machine busier.
const (
	firstInterval = time.Millisecond
	maxInterval   = 50 * time.Millisecond
)

// errNotYet is what Until reports for a condition that never held.
var errNotYet = errors.New("the condition never held")

// Until checks cond until it returns true, and fails t (with what, the
// thing waited for) when bound runs out first. cond runs on the caller's
// goroutine, so it may itself call t.Fatal.
func Until(t testing.TB, bound time.Duration, what string, cond func() bool) {
	t.Helper()
	UntilNil(t, bound, what, func() error {
		if cond() {
			return nil
		}
		return errNotYet
	})
}

// UntilNil checks cond until it returns nil, and fails t when bound runs
// out first, with what and the last error cond returned: the reason the
// wait was still going on.
func UntilNil(t testing.TB, bound time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for pause := firstInterval; ; pause = min(2*pause, maxInterval) {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s: %v", bound, what, err)
			return
		}
		time.Sleep(pause)
	}
}
