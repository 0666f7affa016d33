package httpd

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"convene"
)

type ctxKey int

const infoKey ctxKey = iota + 1

// reqInfo is what the log line and the metrics of a request need to learn
// from inner layers: the route that matched and who was signed in.
type reqInfo struct {
	id       string
	route    string
	userID   int64
	tenantID int64
	auth     authMethod
	cookie   string // hash of the login session's cookie, for logout
	bodyErr  error  // what checkBody found wrong with the body
}

func infoFrom(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(infoKey).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

// requestID returns the id of the request of ctx, "" outside one.
// BodyErr is what the body checks (checkBody, badBody) found wrong with
// the body of the request of ctx, or nil.
func BodyErr(ctx context.Context) error { return infoFrom(ctx).bodyErr }

func requestID(ctx context.Context) string { return infoFrom(ctx).id }

// statusWriter remembers the status and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (deadlines, flush).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, recovers from panics, writes one log
// line per request and counts it in the metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{id: incomingID(r.Header.Get("X-Request-Id"))}
		r = r.WithContext(context.WithValue(r.Context(), infoKey, info))
		w.Header().Set("X-Request-Id", info.id)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.LogAttrs(r.Context(), slog.LevelError, "panic", slog.String("request_id", info.id),
					slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
				if sw.status == 0 {
					s.WriteProblem(sw, r, fmt.Errorf("panic: %v", v))
				}
			}
			s.finish(r, sw, info, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) finish(r *http.Request, sw *statusWriter, info *reqInfo, took time.Duration) {
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	route := info.route
	if route == "" {
		// Refused before reaching the mux (CSRF, body checks): ask it.
		_, route = s.mux.Handler(r)
	}
	if route == "" {
		route = "unmatched"
	}
	s.metrics.observe(r.Method, route, sw.status, took)
	level := slog.LevelInfo
	if sw.status >= 500 {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("request_id", info.id),
		slog.String("method", r.Method),
		slog.String("path", LoggedPath(r.URL.Path)),
		slog.String("route", route),
		slog.Int("status", sw.status),
		slog.Int64("bytes", sw.bytes),
		slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		slog.String("remote", r.RemoteAddr),
	}
	if info.userID != 0 {
		attrs = append(attrs, slog.Int64("tenant_id", info.tenantID), slog.Int64("user_id", info.userID), slog.String("auth", string(info.auth)))
	}
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// incomingID keeps a caller's X-Request-Id when it is short and plain (so a
// proxy's id follows the request), and makes a new one otherwise.
func incomingID(id string) string {
	if id != "" && len(id) <= 64 && strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == "" {
		return id
	}
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// recordRoute notes the ServeMux pattern that matched, for logs and metrics.
// It sits right around the mux, which sets Request.Pattern on the request
// it was given.
func recordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		infoFrom(r.Context()).route = r.Pattern
	})
}

// securityHeaders sets the headers every answer carries. A page may set its
// own Content-Security-Policy over this one.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// csrf refuses cross-origin unsafe requests from browsers. Requests carrying
// a bearer token are not exposed to CSRF (a browser never adds the header on
// its own) and pass; everything else, cookie or not, is checked, so that a
// cross-site form cannot sign a victim in either.
func (s *Server) csrf(next http.Handler) http.Handler {
	protected := s.cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := bearerToken(r); ok {
			next.ServeHTTP(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	})
}

// actorUser returns the signed-in user of ctx, or EUNAUTHORIZED.
func ActorUser(ctx context.Context) (convene.Actor, error) {
	a, ok := convene.ActorFromContext(ctx)
	if !ok || a.User == nil {
		return convene.Actor{}, convene.Errorf(convene.EUNAUTHORIZED, "sign in first")
	}
	return a, nil
}
