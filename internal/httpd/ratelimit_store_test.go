package httpd

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"convene/internal/postgres"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
)

// TestSharedLimitRefusesWhatItsStoreRefuses: a key the database cannot
// store (a NUL, invalid UTF-8) passed straight to a shared limit makes
// every one of its methods refuse with 503 and Retry-After, on both
// databases: nothing is let through uncounted.
func TestSharedLimitRefusesWhatItsStoreRefuses(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": sqlite.OpenTestDB, "postgres": postgres.OpenTestDB} {
		t.Run(name, func(t *testing.T) {
			store := open(t)
			quiet := slog.New(slog.DiscardHandler)
			l := &sharedLimit{store: store, kinds: []bucketKind{{"login.account", rate.Every(time.Minute), 5}},
				sweep: &sweeper{store: store, log: quiet}, outage: &outageLog{log: quiet}}
			ctx, now := context.Background(), time.Now()
			for _, key := range []string{"acme/ada\x00", "acme/\xff"} {
				_, err := l.wait(ctx, now, key)
				wantUnavailable(t, err, "wait")
				wantUnavailable(t, l.take(ctx, now, key), "take")
				_, err = l.allow(ctx, now, key)
				wantUnavailable(t, err, "allow")
			}
			if w, err := l.wait(ctx, now, "acme/ada@acme.test"); w != 0 || err != nil {
				t.Errorf("a good key: wait = %v, %v", w, err)
			}
		})
	}
}

func wantUnavailable(t *testing.T, err error, what string) {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) || p.Status != http.StatusServiceUnavailable || p.GetHeaders().Get("Retry-After") == "" {
		t.Errorf("%s: %v, want a 503 with Retry-After", what, err)
	}
}
