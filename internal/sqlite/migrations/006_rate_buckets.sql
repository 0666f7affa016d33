-- Rate-limit buckets shared by every process using this database (see
-- sqlstore/ratelimit.go): the key, and when its bucket is full again
-- (integer unix nanoseconds, UTC).

CREATE TABLE rate_buckets (
    key TEXT PRIMARY KEY,
    tat INTEGER NOT NULL
);
