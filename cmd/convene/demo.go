package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"convene/internal/demo"
	"convene/internal/phone"
	"convene/internal/sqlite"
)

// demo runs "convene demo": serve with a throw-away SQLite database filled
// with a demo tenant, removed again on exit.
func (a *app) demo(ctx context.Context, args []string) error {
	cfg, log, err := a.parseServe("demo", args)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "convene-demo-")
	if err != nil {
		return fmt.Errorf("demo database: %w", err)
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(filepath.Join(dir, "demo.db"))
	if err != nil {
		return fmt.Errorf("open demo database: %w", err)
	}
	defer store.Close()
	creds, err := demo.Seed(ctx, store, phone.Numbering{})
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	log.Info("demo data ready", "dir", dir)
	return runServer(ctx, cfg, store, log, func(url string) { a.printDemo(url, creds) })
}

// printDemo tells where to sign in, on stdout.
func (a *app) printDemo(url string, c demo.Credentials) {
	fmt.Fprintf(a.stdout, `
Convene demo is running at %s  (Ctrl-C stops it and deletes its data)

Sign in at %s/login with workspace %q and
  Tenant Admin:   %-28s password %s
  Session Admin:  %-28s password %s
  Member:         %-28s password %s

`, url, url, c.Workspace,
		c.AdminLogin, c.AdminPassword,
		c.SessionAdminLogin, c.SessionAdminPassword,
		c.MemberLogin, c.MemberPassword)
}
