-- Rate-limit buckets shared by every instance using this database (see
-- sqlstore/ratelimit.go): the key, and when its bucket is full again
-- (BIGINT unix nanoseconds, UTC).

CREATE TABLE rate_buckets (
    key TEXT PRIMARY KEY,
    tat BIGINT NOT NULL
);
