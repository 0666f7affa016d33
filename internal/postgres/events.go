package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// EventChannel is the NOTIFY channel of session events. A payload is
// "<session id>:<event id>" (a few dozen bytes, far below NOTIFY's 8,000):
// listeners read the events themselves from session_events.
const EventChannel = "convene_events"

// NotifyEvents queues, in one statement, a notification for each session
// of last that its log reached its event id there; PostgreSQL delivers
// them at commit, to every listening instance, and never for a
// transaction that rolls back. One statement, because a batch tells a
// thousand sessions at once.
func (dialect) NotifyEvents(ctx context.Context, tx *sql.Tx, last map[int64]int64) error {
	payloads := make([]string, 0, len(last))
	for sid, eid := range last {
		payloads = append(payloads, formatPayload(sid, eid))
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_notify($1, p) FROM unnest(CAST($2 AS TEXT[])) AS p`, EventChannel, payloads)
	return err
}

func formatPayload(sessionID, eventID int64) string {
	return strconv.FormatInt(sessionID, 10) + ":" + strconv.FormatInt(eventID, 10)
}

func parsePayload(p string) (sessionID, eventID int64, ok bool) {
	s, e, found := strings.Cut(p, ":")
	sid, err1 := strconv.ParseInt(s, 10, 64)
	eid, err2 := strconv.ParseInt(e, 10, 64)
	return sid, eid, found && err1 == nil && err2 == nil
}

// ListenEvents listens on EventChannel over a connection of its own (not
// one of the pool: LISTEN belongs to a connection, and waiting holds it)
// and calls notify for every event notification, until ctx ends. After a
// lost connection it reconnects, with backoff, and calls resync, because
// notifications sent meanwhile are gone: the subscribers must read the log
// again (live.Hub.WakeAll). ready, when not nil, is closed once the first
// LISTEN is in place.
func ListenEvents(ctx context.Context, url string, notify func(sessionID, eventID int64), resync func(), ready chan<- struct{}) {
	backoff := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		err := listenOnce(ctx, url, notify, func() {
			backoff = 100 * time.Millisecond
			if first && ready != nil {
				close(ready)
			}
			if !first {
				resync()
			}
		})
		if ctx.Err() != nil {
			return
		}
		slog.Warn("event listener lost its connection; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listenOnce connects, LISTENs, calls listening and hands every
// notification to notify until the connection fails or ctx ends.
func listenOnce(ctx context.Context, url string, notify func(sessionID, eventID int64), listening func()) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+EventChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		if sid, eid, ok := parsePayload(n.Payload); ok && n.Channel == EventChannel {
			notify(sid, eid)
		}
	}
}
