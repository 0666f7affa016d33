package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/live"
	"convene/internal/phone"
	"convene/internal/web"
)

// serve runs "convene serve": the dashboard and the API until SIGINT or
// SIGTERM.
func (a *app) serve(ctx context.Context, args []string) error {
	cfg, log, err := a.parseServe("serve", args, (*config).bindDB)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	log.Info("database ready", "db", cfg.describeDB())
	return runServer(ctx, cfg, store, log, nil)
}

// parseServe reads the configuration of a command that serves (serve,
// demo) from the environment and args, and makes its logger. bind adds the
// command's own flags, listed before the serving ones.
func (a *app) parseServe(name string, args []string, bind ...func(*config, *flag.FlagSet)) (*config, *slog.Logger, error) {
	cfg := &config{}
	fs := newFlags(name)
	for _, b := range bind {
		b(cfg, fs)
	}
	cfg.bindServe(fs, defaultAddr)
	if err := a.parse(fs, args); err != nil {
		return nil, nil, err
	}
	if err := cfg.checkRateLimitStore(); err != nil {
		return nil, nil, err
	}
	log, err := cfg.logger(a.stderr)
	if err != nil {
		return nil, nil, err
	}
	return cfg, log, nil
}

// runServer serves store's dashboard and API on cfg.Addr until ctx ends,
// then shuts down gracefully: it stops accepting connections, lets
// in-flight requests finish (at most cfg.ShutdownTimeout), and stops the
// delivery worker. The caller closes the store afterwards. ready, if not
// nil, is called with the public URL once the server listens.
func runServer(ctx context.Context, cfg *config, store convene.Store, log *slog.Logger, ready func(url string)) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	publicURL, err := cfg.publicURL(ln.Addr().String())
	if err != nil {
		return err
	}
	workerCtx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkers()
	hub, err := startLive(workerCtx, cfg, store, log)
	if err != nil {
		return err
	}
	srv := newHTTPServer(cfg, store, hub, publicURL, log)
	waitWorkers, err := startDelivery(workerCtx, &cfg.Delivery, store, publicURL, log)
	if err != nil {
		return err
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "public_url", publicURL)
	if ready != nil {
		ready(publicURL)
	}

	select {
	case err := <-served:
		stopWorkers()
		waitWorkers()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	err = shutdown(srv, cfg.ShutdownTimeout, log)
	stopWorkers()
	waitWorkers()
	return err
}

// newHTTPServer wires the web package's handler into an http.Server whose
// timeouts keep slow or idle clients from holding connections forever
// without ever cutting off a request the server is still working on.
//
// Headers must arrive within web.DefaultBodyTimeout; the web handler then
// bounds the body the same way and lifts the deadline once it is read.
// ReadTimeout and WriteTimeout stay unset on purpose: a read deadline still
// set after the body is read makes net/http cancel the request's context
// (its background read on the connection hits the deadline), and a write
// deadline throws away the answer of a long multi-invite, applied but never
// reported. Instead the web handler sets a write deadline before each write
// of an answer (web.DefaultWriteTimeout), so a client that stops reading is
// dropped and long work is not. Shutdown is bounded by --shutdown-timeout, idle keep-alive
// connections by IdleTimeout.
//
// The event streams end when shutdown begins (RegisterOnShutdown), so that
// they do not hold it to its timeout; their clients reconnect elsewhere.
func newHTTPServer(cfg *config, store convene.Store, hub *live.Hub, publicURL string, log *slog.Logger) *http.Server {
	shared := cfg.sharedRateLimits(store)
	if shared != nil {
		log.Info("rate limits count in the database, across instances")
	} else {
		log.Info("rate limits count in this process")
	}
	ws := web.New(store, web.Config{
		PublicURL:    publicURL,
		Phones:       phone.Numbering{},
		Logger:       log,
		InviteRate:   rate.Limit(cfg.InviteRate),
		InviteBurst:  cfg.InviteBurst,
		ResolveRate:  rate.Limit(cfg.ResolveRate),
		ResolveBurst: cfg.ResolveBurst,

		SharedRateLimits: shared,
		MaxFileBytes:     cfg.MaxFileBytes,
		Live:             hub,
	})
	srv := &http.Server{
		Handler:           ws.Handler(),
		ReadHeaderTimeout: web.DefaultBodyTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(ws.EndStreams)
	return srv
}

// shutdown stops accepting connections and waits for in-flight requests,
// at most timeout.
func shutdown(srv *http.Server, timeout time.Duration, log *slog.Logger) error {
	log.Info("shutting down", "timeout", timeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			srv.Close()
			return fmt.Errorf("shutdown: requests still running after %s were cut off", timeout)
		}
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}
