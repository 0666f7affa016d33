package main

import (
	"context"
	"fmt"
	"strings"

	"convene"
	"convene/internal/postgres"
	"convene/internal/sqlite"
)

// openStore opens, and migrates, the database named by dbURL: sqlite:PATH
// or a postgres:// (postgresql://) URL. A value of any other kind is refused
// before anything is touched, so bad input never leaves a half-done command.
func openStore(ctx context.Context, dbURL string) (convene.Store, error) {
	switch {
	case strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(dbURL, "sqlite:")
		if path == "" {
			return nil, usageErrorf("--db sqlite: needs a file path, as in sqlite:convene.db")
		}
		store, err := sqlite.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
		}
		return store, nil
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		store, err := postgres.Open(ctx, dbURL)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL database: %w", err)
		}
		return store, nil
	}
	return nil, usageErrorf("--db must be sqlite:PATH or a postgres:// URL, got %q", redactDB(dbURL))
}

// redactDB hides whatever follows an '@' in a value that may be a URL with a
// password in it, so that an error message never shows one.
func redactDB(dbURL string) string {
	if i := strings.LastIndexByte(dbURL, '@'); i >= 0 {
		return "…@" + dbURL[i+1:]
	}
	return dbURL
}

// migrate runs "convene migrate": opening a store applies its migrations.
func (a *app) migrate(ctx context.Context, args []string) error {
	var cfg config
	fs := newFlags("migrate")
	cfg.bindDB(fs)
	if err := a.parse(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	if err := store.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	fmt.Fprintf(a.stdout, "database %s is up to date\n", cfg.describeDB())
	return nil
}
