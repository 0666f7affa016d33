package poll_test

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"convene/internal/poll"
)

// failures is a testing.TB that keeps the failure message instead of
// stopping the test that checks it.
type failures struct {
	testing.TB
	msg string
}

func (f *failures) Helper() {}

func (f *failures) Fatalf(format string, args ...any) { f.msg = fmt.Sprintf(format, args...) }

func TestUntilReturnsOnceTheConditionHolds(t *testing.T) {
	var checks atomic.Int32
	poll.Until(t, time.Minute, "the third check", func() bool { return checks.Add(1) == 3 })
	if got := checks.Load(); got != 3 {
		t.Errorf("cond checked %d times, want 3: Until must stop at the first true", got)
	}
}

func TestUntilFailsWhenTheBoundRunsOut(t *testing.T) {
	f := &failures{TB: t}
	start := time.Now()
	poll.Until(f, 20*time.Millisecond, "the flag", func() bool { return false })
	if !strings.Contains(f.msg, "the flag") {
		t.Fatalf("failure message %q does not name the thing waited for", f.msg)
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Errorf("Until gave up after %s, before its bound of 20ms", waited)
	}
}

func TestUntilNilReportsTheLastError(t *testing.T) {
	f := &failures{TB: t}
	poll.UntilNil(f, 10*time.Millisecond, "the row", func() error { return errors.New("0 rows") })
	if !strings.Contains(f.msg, "the row") || !strings.Contains(f.msg, "0 rows") {
		t.Errorf("failure message %q names not both the thing waited for and the last error", f.msg)
	}
}
