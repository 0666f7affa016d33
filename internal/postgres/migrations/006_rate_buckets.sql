-- Rate-limit buckets shared by every instance using this database (see
-- sqlstore/ratelimit.go): the key, when its bucket is full again
-- (BIGINT unix nanoseconds, UTC), and how far ahead of now that may be
-- while a token is left ((burst - 1) x interval, in nanoseconds).

CREATE TABLE rate_buckets (
    key   TEXT PRIMARY KEY,
    tat   BIGINT NOT NULL,
    slack BIGINT NOT NULL
);
