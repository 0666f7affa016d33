package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"convene"
	"convene/internal/live"
	"convene/internal/postgres"
)

// startLive makes the hub of the live events and feeds it from the
// database until ctx ends: on PostgreSQL a LISTEN connection of its own,
// so that events written by every instance reach this one's subscribers;
// on SQLite the store's after-commit hook, in this process. It returns
// once the hub hears of events (the first LISTEN is in place).
func startLive(ctx context.Context, cfg *config, store convene.Store, log *slog.Logger) (*live.Hub, error) {
	hub := live.New(store)
	if strings.HasPrefix(cfg.DB, "postgres://") || strings.HasPrefix(cfg.DB, "postgresql://") {
		ready := make(chan struct{})
		go postgres.ListenEvents(ctx, cfg.DB, hub, ready)
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, fmt.Errorf("live events: %w", ctx.Err())
		}
		log.Info("live events arrive through LISTEN/NOTIFY, from every instance")
		return hub, nil
	}
	src, ok := store.(live.InProcess)
	if !ok {
		return nil, fmt.Errorf("live events: the store tells of no events")
	}
	hub.Hear(src)
	log.Info("live events arrive in this process")
	return hub, nil
}
