package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"convene"
)

// The buckets are kept as a generic cell rate algorithm (GCRA): one row per
// key holding its theoretical arrival time, tat, the moment the bucket is
// full again. Taking a token moves tat one interval on from max(tat, now);
// a bucket has a token at now while tat - now <= (burst-1) x interval.
// Each take is one UPSERT that checks and moves tat at once, so two
// instances racing for the last token cannot both get it.

// RateWait implements convene.RateBuckets.
func (db *DB) RateWait(ctx context.Context, now time.Time, buckets ...convene.Bucket) (time.Duration, error) {
	if len(buckets) == 0 {
		return 0, nil
	}
	byKey := make(map[string]convene.Bucket, len(buckets))
	keys := make([]string, len(buckets))
	for i, b := range buckets {
		byKey[b.Key], keys[i] = b, b.Key
	}
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT key, tat FROM rate_buckets WHERE `+db.d.InStrings("key")), db.d.StringsArg(keys))
	if err != nil {
		return 0, fmt.Errorf("rate buckets: %w", err)
	}
	defer rows.Close()
	var wait time.Duration
	for rows.Next() {
		var key string
		var tat int64
		if err := rows.Scan(&key, &tat); err != nil {
			return 0, fmt.Errorf("rate buckets: %w", err)
		}
		b := byKey[key]
		wait = max(wait, time.Duration(tat-ns(now))-time.Duration(b.Burst-1)*b.Interval)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("rate buckets: %w", err)
	}
	return wait, nil
}

// errNoToken rolls back a take that found a bucket empty.
var errNoToken = errors.New("no token")

// RateTake implements convene.RateBuckets. The takes share one transaction,
// which commits without waiting for the disk (Dialect.RelaxDurability): a
// crash may forget the last moments of a limit, never more.
func (db *DB) RateTake(ctx context.Context, now time.Time, buckets ...convene.Bucket) (bool, error) {
	if len(buckets) == 0 {
		return true, nil
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.d.RelaxDurability(ctx, tx); err != nil {
			return err
		}
		// In key order, so that overlapping takes lock rows in one order
		// and never deadlock.
		for _, b := range slices.SortedFunc(slices.Values(buckets), func(x, y convene.Bucket) int { return strings.Compare(x.Key, y.Key) }) {
			if err := db.takeToken(ctx, tx, now, b); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errNoToken):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("rate buckets: %w", err)
	}
	return true, nil
}

// takeToken takes one token of b in tx, or answers errNoToken.
func (db *DB) takeToken(ctx context.Context, tx *sql.Tx, now time.Time, b convene.Bucket) error {
	at, step, slack := ns(now), int64(b.Interval), int64(b.Burst-1)*int64(b.Interval)
	var tat int64
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO rate_buckets (key, tat) VALUES (?, CAST(? AS BIGINT))
		ON CONFLICT (key) DO UPDATE
		SET tat = (CASE WHEN rate_buckets.tat > CAST(? AS BIGINT) THEN rate_buckets.tat ELSE CAST(? AS BIGINT) END) + CAST(? AS BIGINT)
		WHERE rate_buckets.tat - CAST(? AS BIGINT) <= CAST(? AS BIGINT)
		RETURNING tat`), b.Key, at+step, at, at, step, at, slack).Scan(&tat)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoToken // the WHERE held the row back: the bucket is empty
	}
	return err
}

// RateSweep implements convene.RateBuckets.
func (db *DB) RateSweep(ctx context.Context, now time.Time) error {
	if _, err := db.write.ExecContext(ctx, db.q(`DELETE FROM rate_buckets WHERE tat <= ?`), ns(now)); err != nil {
		return fmt.Errorf("sweep rate buckets: %w", err)
	}
	return nil
}
