// Package httpd is the HTTP plumbing both surfaces of Convene share: the
// server and its middleware chain, authentication (cookie or bearer token),
// problem documents and the one error-code -> status table (status.go), the
// body, bad-bytes and deadline checks, rate limits (ratelimit*.go) and
// metrics. The surfaces mount themselves on it: internal/api (the JSON API)
// and internal/ui (the dashboard); internal/web assembles the three.
//
// Every request passes through one chain of middleware: request id and
// structured log line, metrics, panic recovery, security headers, CSRF
// protection for cookie-authenticated requests, the refusal of NUL and
// invalid UTF-8 (badbytes.go), authentication (cookie or
// bearer token) and, for the API, the body checks. Handlers then authorize
// with the one role table, convene.Allowed.
package httpd

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/live"
)

// Config holds the settings of the web server. Zero fields take the defaults
// below, which work on a laptop.
type Config struct {
	PublicURL       string // base of links; cookies get Secure when it is https
	Phones          convene.PhoneNumbering
	Logger          *slog.Logger
	SessionIdle     time.Duration // default 12h
	SessionAbsolute time.Duration // default 7*24h
	MaxBodyBytes    int64         // default 4 MiB: 1000 contacts x 1000 sessions fit
	// BodyTimeout bounds how long a request's body may take to arrive,
	// from the moment its headers are in (default 30 s; see boundBody).
	// Once the body is read, no clock cuts the request off.
	BodyTimeout time.Duration

	// WriteTimeout bounds how long each write of an answer may wait for
	// the client to read (default 30 s; see boundWrites). The work before
	// a write is never timed.
	WriteTimeout time.Duration

	// Multi-invite and contact resolution are limited per user (these
	// numbers) and per tenant (the Tenant fields, by default ten times the
	// user's).
	InviteRate         rate.Limit // default 1/s
	InviteBurst        int        // default 20
	InviteTenantRate   rate.Limit // default 10 x InviteRate
	InviteTenantBurst  int        // default 10 x InviteBurst
	ResolveRate        rate.Limit // default 5/s
	ResolveBurst       int        // default 50
	ResolveTenantRate  rate.Limit // default 10 x ResolveRate
	ResolveTenantBurst int        // default 10 x ResolveBurst

	// Failed sign-ins are throttled per account (tenant + login) and per
	// client address; a success costs nothing. The same numbers, in buckets
	// of their own, bound password-reset requests (each one counts) and
	// failed invitation acceptances (per address only).
	LoginAccountRate  rate.Limit // default one attempt regained per minute
	LoginAccountBurst int        // default 5
	LoginAddrRate     rate.Limit // default one attempt regained per 6 seconds
	LoginAddrBurst    int        // default 30

	// SharedRateLimits, when set, keeps every limit above in the database,
	// so that it holds across all instances sharing it; nil keeps them in
	// this process.
	SharedRateLimits convene.RateBuckets

	Now func() time.Time // injectable clock; default time.Now

	// MaxFileBytes is the largest file upload (default
	// convene.DefaultMaxFileBytes; --max-file-bytes). Uploads stream past
	// MaxBodyBytes, which bounds the JSON bodies.
	MaxFileBytes int64
	// Live delivers the events of sessions to the API's event streams. Nil
	// makes a hub of the server's own, which hears of events only when the
	// store calls OnEvent in process (SQLite); on PostgreSQL the caller
	// passes a hub it feeds from postgres.ListenEvents.
	Live *live.Hub
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.SessionIdle <= 0 {
		c.SessionIdle = 12 * time.Hour
	}
	if c.SessionAbsolute <= 0 {
		c.SessionAbsolute = 7 * 24 * time.Hour
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 4 << 20
	}
	if c.BodyTimeout <= 0 {
		c.BodyTimeout = DefaultBodyTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	setRate(&c.InviteRate, &c.InviteBurst, 1, 20)
	setRate(&c.InviteTenantRate, &c.InviteTenantBurst, c.InviteRate*10, c.InviteBurst*10)
	setRate(&c.ResolveRate, &c.ResolveBurst, 5, 50)
	setRate(&c.ResolveTenantRate, &c.ResolveTenantBurst, c.ResolveRate*10, c.ResolveBurst*10)
	setRate(&c.LoginAccountRate, &c.LoginAccountBurst, rate.Every(time.Minute), 5)
	setRate(&c.LoginAddrRate, &c.LoginAddrBurst, rate.Every(6*time.Second), 30)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MaxFileBytes <= 0 {
		c.MaxFileBytes = convene.DefaultMaxFileBytes
	}
}

func setRate(r *rate.Limit, b *int, defRate rate.Limit, defBurst int) {
	if *r <= 0 {
		*r = defRate
	}
	if *b <= 0 {
		*b = defBurst
	}
}

// Server is the HTTP side of Convene. Build it with New; it is safe for
// concurrent use.
type Server struct {
	store   convene.Store
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	limits  *limits
	cop     *http.CrossOriginProtection
	secure  bool // cookies get Secure even without TLS on this hop
	mux     *http.ServeMux
	handler http.Handler

	// errorPage renders a refused page request (badbytes.go); the
	// dashboard sets it when it mounts, plain text until then.
	errorPage func(w http.ResponseWriter, r *http.Request, status int, title, text string)

	// streams ends when the server shuts down, ending the event streams,
	// which would otherwise hold a graceful shutdown to its end.
	streams    context.Context
	endStreams context.CancelFunc
}

// New returns the plumbing of a server for store with cfg: /metrics and the
// middleware chain, with no surface mounted yet (see Mux).
func New(store convene.Store, cfg Config) *Server {
	cfg.setDefaults()
	s := &Server{store: store, cfg: cfg, log: cfg.Logger, metrics: newMetrics()}
	s.streams, s.endStreams = context.WithCancel(context.Background())
	if s.cfg.Live == nil {
		s.cfg.Live = live.New(store)
		if src, ok := store.(live.InProcess); ok {
			s.cfg.Live.Hear(src)
		}
	}
	s.limits = newLimits(&s.cfg)
	s.cop = http.NewCrossOriginProtection()
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Scheme != "" && u.Host != "" {
		s.secure = strings.EqualFold(u.Scheme, "https")
		// Behind a proxy the Host header may differ from the public origin.
		_ = s.cop.AddTrustedOrigin(u.Scheme + "://" + u.Host)
	}
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.WriteProblem(w, r, convene.Errorf(convene.EFORBIDDEN, "cross-origin request refused"))
	}))

	mux := http.NewServeMux()
	s.mux = mux
	mux.Handle("GET /metrics", s.metrics.handler())
	s.errorPage = func(w http.ResponseWriter, _ *http.Request, status int, title, _ string) {
		http.Error(w, title, status)
	}
	s.handler = s.chain(mux)
	return s
}

// Mux is the router the surfaces register their routes on. Every request
// it serves has passed the middleware chain.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// SetErrorPage makes refused page requests render with page.
func (s *Server) SetErrorPage(page func(w http.ResponseWriter, r *http.Request, status int, title, text string)) {
	s.errorPage = page
}

// Store is the store the server was built with.
func (s *Server) Store() convene.Store { return s.store }

// Config is the server's configuration, with the defaults filled in.
func (s *Server) Config() *Config { return &s.cfg }

// Log is the server's logger.
func (s *Server) Log() *slog.Logger { return s.log }

// RecordBatch counts a multi-invite's outcomes in the metrics.
func (s *Server) RecordBatch(b *convene.Batch) { s.metrics.batch(b) }

// Handler returns the root handler: API, health, metrics and dashboard.
func (s *Server) Handler() http.Handler { return s.handler }

// OnEndStreams calls stop once EndStreams is called (at once if it was),
// without a goroutine of its own until then: each open event stream asks
// it, and ten thousand idle streams should not cost ten thousand
// goroutines more. The returned function unregisters stop.
func (s *Server) OnEndStreams(stop func()) (unregister func() bool) {
	return context.AfterFunc(s.streams, stop)
}

// EndStreams ends every open event stream, for a graceful shutdown
// (http.Server.RegisterOnShutdown): Shutdown waits for no stream.
func (s *Server) EndStreams() { s.endStreams() }

// Now returns the current time of the injectable clock.
func (s *Server) Now() time.Time { return s.cfg.Now() }

// chain wraps h in the middleware every request passes, outermost first.
func (s *Server) chain(h http.Handler) http.Handler {
	h = recordRoute(h)
	h = s.checkBody(h)
	h = s.WithActor(h)
	h = s.refuseBadBytes(h) // NUL, invalid UTF-8: 422 before anything reads the database
	h = s.csrf(h)
	h = s.securityHeaders(h)
	h = s.boundBody(h)   // before every layer that reads the body: deadline.go
	h = s.boundWrites(h) // each write of the answer: write_deadline.go
	h = s.observe(h)
	return h
}
