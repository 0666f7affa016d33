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

	"convene/internal/sqlstore"
)

// EventChannel is the NOTIFY channel of session events. A payload is
// "<session id>:<event id>" (a few dozen bytes, far below NOTIFY's 8,000):
// listeners read the events themselves from session_events.
const EventChannel = "convene_events"

// NotifyCommit queues, in one statement, every notification of n: on
// EventChannel one per session of n.LastEvents ("<session>:<event>", its
// log reached that event), one per ended user ("user:<id>", their streams
// end) and per demoted one ("demoted:<id>", their streams check that they
// are still members); on PageChannel the tenant whose pages changed.
// PostgreSQL delivers them at commit, to every listening instance (this
// one too), and never for a transaction that rolls back. One statement,
// because a batch tells a thousand sessions at once, and because each
// statement is a round trip of the write transaction.
func (dialect) NotifyCommit(ctx context.Context, tx *sql.Tx, n sqlstore.CommitNotice) error {
	size := len(n.LastEvents) + len(n.Ended) + len(n.Demoted) + 1
	channels, payloads := make([]string, 0, size), make([]string, 0, size)
	add := func(channel, payload string) {
		channels, payloads = append(channels, channel), append(payloads, payload)
	}
	for sid, eid := range n.LastEvents {
		add(EventChannel, formatPayload(sid, eid))
	}
	for _, uid := range n.Ended {
		add(EventChannel, userPayload+strconv.FormatInt(uid, 10))
	}
	for _, uid := range n.Demoted {
		add(EventChannel, demotedPayload+strconv.FormatInt(uid, 10))
	}
	if n.PagesChanged {
		add(PageChannel, strconv.FormatInt(n.TenantID, 10))
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_notify(c, p) FROM unnest(CAST($1 AS TEXT[]), CAST($2 AS TEXT[])) AS n(c, p)`, channels, payloads)
	return err
}

// userPayload starts the payload of a disabled user's notification,
// demotedPayload that of a user who lost their role's sessions.
const (
	userPayload    = "user:"
	demotedPayload = "demoted:"
)

func formatPayload(sessionID, eventID int64) string {
	return strconv.FormatInt(sessionID, 10) + ":" + strconv.FormatInt(eventID, 10)
}

func parsePayload(p string) (sessionID, eventID int64, ok bool) {
	s, e, found := strings.Cut(p, ":")
	sid, err1 := strconv.ParseInt(s, 10, 64)
	eid, err2 := strconv.ParseInt(e, 10, 64)
	return sid, eid, found && err1 == nil && err2 == nil
}

// Listener is what ListenEvents tells (live.Hub): an event's commit, a
// disabled user, and a reconnect after which notifications may be lost.
type Listener interface {
	Notify(sessionID, eventID int64)
	EndUser(userID int64)
	RecheckUser(userID int64)
	WakeAll()
}

// ListenEvents listens on EventChannel over a connection of its own (not
// one of the pool: LISTEN belongs to a connection, and waiting holds it)
// and tells to of every notification (Notify, EndUser, RecheckUser),
// until ctx ends. After a lost connection it reconnects, with backoff, and
// calls to.WakeAll, because notifications sent meanwhile are gone: the
// subscribers must read the log again (live.Hub.WakeAll). ready, when not
// nil, is closed once the first LISTEN is in place.
func ListenEvents(ctx context.Context, url string, to Listener, ready chan<- struct{}) {
	listen(ctx, url, listener{
		channel: EventChannel,
		notify:  func(payload string) { tellEvent(to, payload) },
		listening: func(first bool) {
			if first && ready != nil {
				close(ready)
			}
			if !first {
				to.WakeAll()
			}
		},
	})
}

// listener is what one LISTEN connection serves: its channel, what a
// notification does, and what to do when it starts hearing them (first:
// for the first time) and when it lost them (nil: nothing).
type listener struct {
	channel   string
	notify    func(payload string)
	listening func(first bool)
	lost      func()
}

// listen runs l until ctx ends, reconnecting with backoff after a lost
// connection.
func listen(ctx context.Context, url string, l listener) {
	backoff := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		err := listenOnce(ctx, url, l, func() {
			backoff = 100 * time.Millisecond
			l.listening(first)
		})
		if l.lost != nil {
			l.lost()
		}
		if ctx.Err() != nil {
			return
		}
		slog.Warn("listener lost its connection; reconnecting", "channel", l.channel, "err", err, "in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listenOnce connects, LISTENs, calls listening and hands every
// notification of l's channel to l until the connection fails or ctx ends.
func listenOnce(ctx context.Context, url string, l listener, listening func()) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+l.channel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		if n.Channel == l.channel {
			l.notify(n.Payload)
		}
	}
}

// tellEvent tells to of one notification of EventChannel: a disabled
// user ("user:<id>"), a demoted one ("demoted:<id>") or an event's commit
// ("<session>:<event>").
func tellEvent(to Listener, payload string) {
	if rest, ok := strings.CutPrefix(payload, userPayload); ok {
		tellUser(to.EndUser, rest)
	} else if rest, ok := strings.CutPrefix(payload, demotedPayload); ok {
		tellUser(to.RecheckUser, rest)
	} else if sid, eid, ok := parsePayload(payload); ok {
		to.Notify(sid, eid)
	}
}

// tellUser calls tell with the user id of a user notification's rest;
// a malformed one is ignored, as a malformed event payload is.
func tellUser(tell func(userID int64), rest string) {
	if uid, err := strconv.ParseInt(rest, 10, 64); err == nil {
		tell(uid)
	}
}
