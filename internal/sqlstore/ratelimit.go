package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The buckets are kept as a generic cell rate algorithm (GCRA): one row per
// key holding its theoretical arrival time, tat, the moment the bucket is
// full again. Taking a token moves tat one interval on from max(tat, now);
// a bucket has a token at now while tat - now <= (burst-1) x interval.
// One UPSERT both checks and takes, so two instances racing for the last
// token cannot both get it.

// RateWait implements convene.RateBuckets.
func (db *DB) RateWait(ctx context.Context, key string, now time.Time, interval time.Duration, burst int) (time.Duration, error) {
	var tat int64
	err := db.read.QueryRowContext(ctx, db.q(`SELECT tat FROM rate_buckets WHERE key = ?`), key).Scan(&tat)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("rate bucket %s: %w", key, err)
	}
	wait := time.Duration(tat-ns(now)) - time.Duration(burst-1)*interval
	return max(wait, 0), nil
}

// RateTake implements convene.RateBuckets.
func (db *DB) RateTake(ctx context.Context, key string, now time.Time, interval time.Duration, burst int) (bool, error) {
	at, step, slack := ns(now), int64(interval), int64(burst-1)*int64(interval)
	var tat int64
	err := db.write.QueryRowContext(ctx, db.q(`INSERT INTO rate_buckets (key, tat) VALUES (?, CAST(? AS BIGINT))
		ON CONFLICT (key) DO UPDATE
		SET tat = (CASE WHEN rate_buckets.tat > CAST(? AS BIGINT) THEN rate_buckets.tat ELSE CAST(? AS BIGINT) END) + CAST(? AS BIGINT)
		WHERE rate_buckets.tat - CAST(? AS BIGINT) <= CAST(? AS BIGINT)
		RETURNING tat`), key, at+step, at, at, step, at, slack).Scan(&tat)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // the WHERE held the row back: no token
	}
	if err != nil {
		return false, fmt.Errorf("rate bucket %s: %w", key, err)
	}
	return true, nil
}

// RateSweep implements convene.RateBuckets.
func (db *DB) RateSweep(ctx context.Context, now time.Time) error {
	if _, err := db.write.ExecContext(ctx, db.q(`DELETE FROM rate_buckets WHERE tat <= ?`), ns(now)); err != nil {
		return fmt.Errorf("sweep rate buckets: %w", err)
	}
	return nil
}
