package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"convene"
)

// config is everything the commands are configured with, filled from flags
// and CONVENE_* environment variables. Each command binds the part it uses.
type config struct {
	// DB is sqlite:PATH or a postgres:// URL.
	DB string

	// Serving (serve, demo).
	Addr            string
	PublicURL       string // base of every link in a message; "" means http://<addr>
	LogFormat       string // text or json
	JSONLogs        bool   // shorthand for LogFormat json
	ShutdownTimeout time.Duration

	// Rate limits of multi-invite and contact resolution, per user (each
	// tenant gets ten times as much); 0 takes the web package's defaults.
	InviteRate   float64 // requests per second
	InviteBurst  int
	ResolveRate  float64
	ResolveBurst int
	// RateLimitStore is where the limits' buckets live: memory (this
	// process), database (shared by every instance) or auto (the database
	// on PostgreSQL, memory on SQLite).
	RateLimitStore string
	// MaxFileBytes is the largest file upload (0: 25 MiB).
	MaxFileBytes int64

	// Settings a new tenant starts with (tenant create, demo).
	DefaultRegion    string
	PhoneAliasDomain string

	// Delivery of email and SMS, and the outbox worker: see delivery.go.
	Delivery deliveryConfig
}

const (
	defaultDB   = "sqlite:convene.db"
	defaultAddr = "127.0.0.1:8080"
)

func (c *config) bindDB(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", defaultDB, "database: sqlite:PATH or a postgres:// URL")
}

// bindServe binds the flags of the commands that serve HTTP.
func (c *config) bindServe(fs *flag.FlagSet, addr string) {
	fs.StringVar(&c.Addr, "addr", addr, "address to listen on (host:port)")
	c.bindPublicURL(fs)
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.BoolVar(&c.JSONLogs, "json-logs", false, "log JSON lines (same as --log-format json)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish at shutdown")
	fs.Float64Var(&c.InviteRate, "invite-rate", 0, "multi-invites per second per user, sustained (tenant: 10x; default 1)")
	fs.IntVar(&c.InviteBurst, "invite-burst", 0, "multi-invites per user at once before --invite-rate applies (default 20)")
	fs.Float64Var(&c.ResolveRate, "resolve-rate", 0, "contact resolutions per second per user, sustained (tenant: 10x; default 5)")
	fs.IntVar(&c.ResolveBurst, "resolve-burst", 0, "contact resolutions per user at once (default 50)")
	fs.StringVar(&c.RateLimitStore, "rate-limit-store", "auto", "where rate limits and sign-in throttles count: memory (per process), database (shared by every instance), or auto (database on PostgreSQL, memory on SQLite)")
	fs.Int64Var(&c.MaxFileBytes, "max-file-bytes", convene.DefaultMaxFileBytes, "largest file a session accepts, in bytes")
	c.Delivery.bind(fs)
}

func (c *config) bindPublicURL(fs *flag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", "", "base URL of links in messages (default http://<addr>)")
}

// bindTenantDefaults binds the settings a new tenant starts with.
func (c *config) bindTenantDefaults(fs *flag.FlagSet) {
	fs.StringVar(&c.DefaultRegion, "default-region", "US", "region of phone numbers typed without a country code, for new tenants")
	fs.StringVar(&c.PhoneAliasDomain, "phone-alias-domain", "", "domain D making <digits>@D a phone number, for new tenants")
}

// publicURL returns the configured public URL without a trailing slash, or
// http://<listen> when none is configured. listen is the address actually
// listened on, so that port 0 yields a usable link.
func (c *config) publicURL(listen string) (string, error) {
	if c.PublicURL == "" {
		return "http://" + listen, nil
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usageErrorf("--public-url must be an http:// or https:// URL, got %q", c.PublicURL)
	}
	return strings.TrimRight(c.PublicURL, "/"), nil
}

// logger returns the process's logger: text or JSON lines on w.
func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	format := strings.ToLower(c.LogFormat)
	if c.JSONLogs {
		format = "json"
	}
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, usageErrorf("--log-format must be text or json, got %q", c.LogFormat)
}

// describeDB names the database for the start-up log line, without the
// password a PostgreSQL URL may carry.
func (c *config) describeDB() string {
	if strings.HasPrefix(c.DB, "sqlite:") {
		return c.DB
	}
	if u, err := url.Parse(c.DB); err == nil {
		return fmt.Sprintf("%s://%s%s", u.Scheme, u.Host, u.Path)
	}
	kind, _, _ := strings.Cut(c.DB, ":")
	return kind
}

// checkRateLimitStore refuses an unknown --rate-limit-store before anything
// is opened.
func (c *config) checkRateLimitStore() error {
	switch c.RateLimitStore {
	case "auto", "memory", "database":
		return nil
	}
	return usageErrorf("--rate-limit-store must be auto, memory or database, got %q", c.RateLimitStore)
}

// sharedRateLimits returns the database buckets the limits count in, or
// nil to count in memory, as --rate-limit-store says.
func (c *config) sharedRateLimits(store convene.Store) convene.RateBuckets {
	buckets, ok := store.(convene.RateBuckets)
	onPostgres := strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
	if !ok || c.RateLimitStore == "memory" || (c.RateLimitStore == "auto" && !onPostgres) {
		return nil // auto on SQLite: one process serves the file
	}
	return buckets
}
