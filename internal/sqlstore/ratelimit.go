package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"convene"
)

// The buckets are kept as a generic cell rate algorithm (GCRA): one row per
// key holding its theoretical arrival time, tat, the moment the bucket is
// full again. Taking a token moves tat one interval on from max(tat, now);
// a bucket has a token at now while tat - now <= (burst-1) x interval.
// A take is one UPSERT that checks and moves tat at once, so two instances
// racing for the last token cannot both get it. Each row also keeps its
// slack, (burst-1) x interval, which the UPSERT compares against.

// checkBucketKeys refuses keys that PostgreSQL cannot store (NUL, invalid
// UTF-8), on both databases alike, so that a limiter fed one fails the
// same way everywhere: closed.
func checkBucketKeys(buckets []convene.Bucket) error {
	for _, b := range buckets {
		if strings.IndexByte(b.Key, 0) >= 0 || !utf8.ValidString(b.Key) {
			return convene.Errorf(convene.EINVALID, "rate bucket key %q: NUL or invalid UTF-8", b.Key)
		}
	}
	return nil
}

// RateWait implements convene.RateBuckets.
func (db *DB) RateWait(ctx context.Context, now time.Time, buckets ...convene.Bucket) (time.Duration, error) {
	if len(buckets) == 0 {
		return 0, nil
	}
	if err := checkBucketKeys(buckets); err != nil {
		return 0, err
	}
	byKey := make(map[string]convene.Bucket, len(buckets))
	keys := make([]string, len(buckets))
	for i, b := range buckets {
		byKey[b.Key], keys[i] = b, b.Key
	}
	type row struct {
		key string
		tat int64
	}
	rows, err := queryAll(ctx, db, db.read, "rate bucket", func(r rowScanner) (row, error) {
		var x row
		return x, r.Scan(&x.key, &x.tat)
	}, `SELECT key, tat FROM rate_buckets WHERE `+db.d.InStrings("key"), db.d.StringsArg(keys))
	if err != nil {
		return 0, err
	}
	var wait time.Duration
	for _, r := range rows {
		b := byKey[r.key]
		wait = max(wait, time.Duration(r.tat-ns(now))-time.Duration(b.Burst-1)*b.Interval)
	}
	return wait, nil
}

// RateTake implements convene.RateBuckets: one UPSERT over all the
// buckets, so that a hot bucket (a tenant's) stays locked only from that
// statement to the commit, which does not wait for the disk
// (Dialect.RelaxDurability: a crash may forget the last moments of a
// limit, never more). When one bucket had no token, the tokens the
// statement took from the others are given back in the same transaction.
func (db *DB) RateTake(ctx context.Context, now time.Time, buckets ...convene.Bucket) (bool, error) {
	if len(buckets) == 0 {
		return true, nil
	}
	if err := checkBucketKeys(buckets); err != nil {
		return false, err
	}
	// In key order, so that overlapping takes lock rows in one order and
	// never deadlock.
	buckets = slices.SortedFunc(slices.Values(buckets), func(x, y convene.Bucket) int { return strings.Compare(x.Key, y.Key) })
	at := ns(now)
	values := make([]string, len(buckets))
	args := make([]any, 0, 3*len(buckets)+4)
	for i, b := range buckets {
		values[i] = "(?, CAST(? AS BIGINT), CAST(? AS BIGINT))"
		args = append(args, b.Key, at+int64(b.Interval), int64(b.Burst-1)*int64(b.Interval))
	}
	args = append(args, at, at, at, at)
	// excluded.tat - now is the bucket's interval; excluded.slack is how
	// far ahead of now tat may run and still leave a token.
	var taken []string
	err := db.inTxKeepingPages(ctx, func(tx *sql.Tx) error {
		if err := db.d.RelaxDurability(ctx, tx); err != nil {
			return err
		}
		var err error
		taken, err = queryAll(ctx, db, tx, "rate bucket", scanKey, `INSERT INTO rate_buckets (key, tat, slack) VALUES `+strings.Join(values, ", ")+`
			ON CONFLICT (key) DO UPDATE
			SET tat = (CASE WHEN rate_buckets.tat > CAST(? AS BIGINT) THEN rate_buckets.tat ELSE CAST(? AS BIGINT) END)
				+ (excluded.tat - CAST(? AS BIGINT)),
				slack = excluded.slack
			WHERE rate_buckets.tat - CAST(? AS BIGINT) <= excluded.slack
			RETURNING key`, args...)
		if err != nil || len(taken) == len(buckets) {
			return err
		}
		return db.giveBack(ctx, tx, buckets, taken)
	})
	if err != nil {
		return false, fmt.Errorf("rate buckets: %w", err)
	}
	return len(taken) == len(buckets), nil
}

// giveBack returns the token the take in tx took from each bucket of
// taken, when another of its buckets had none.
func (db *DB) giveBack(ctx context.Context, tx *sql.Tx, buckets []convene.Bucket, taken []string) error {
	for _, b := range buckets {
		if !slices.Contains(taken, b.Key) {
			continue
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE rate_buckets SET tat = tat - CAST(? AS BIGINT) WHERE key = ?`), int64(b.Interval), b.Key); err != nil {
			return fmt.Errorf("give back %s: %w", b.Key, err)
		}
	}
	return nil
}

func scanKey(r rowScanner) (string, error) {
	var key string
	return key, r.Scan(&key)
}

// RateSweep implements convene.RateBuckets.
func (db *DB) RateSweep(ctx context.Context, now time.Time) error {
	if _, err := db.write.ExecContext(ctx, db.q(`DELETE FROM rate_buckets WHERE tat <= ?`), ns(now)); err != nil {
		return fmt.Errorf("sweep rate buckets: %w", err)
	}
	return nil
}
