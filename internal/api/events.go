package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"convene"
	"convene/internal/live"
)

// heartbeat is how often an idle event stream sends a comment, so that
// proxies and load balancers that drop quiet connections keep it open.
const heartbeat = 15 * time.Second

type eventsInput struct {
	ID          string `path:"id" maxLength:"40"`
	LastEventID string `header:"Last-Event-ID" maxLength:"20" doc:"the id of the last event received: the stream resumes after it"`
}

// eventsOp describes the stream: one 200 answer of text/event-stream,
// which huma serves like any other (StreamResponse), so that it passes
// the same authentication and the same early answers as every operation.
func (s *Server) eventsOp() huma.Operation {
	op := s.op(http.MethodGet, "/api/v1/sessions/{id}/events", "sessionEvents",
		"The live events of a session (Server-Sent Events); ends with an access event \"none\" when the caller loses access", "sessions", 401, 404, 422)
	op.Responses = map[string]*huma.Response{"200": {
		Description: "text/event-stream: events named as in contract section 13 (note.created, ..., access), each with its id and its object as data",
		Content:     map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{Type: "string"}}},
	}}
	return op
}

func (s *Server) sessionEvents(ctx context.Context, in *eventsInput) (*huma.StreamResponse, error) {
	_, x, err := s.Session(ctx, in.ID, convene.PermReadContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	after, err := lastEventID(in.LastEventID)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	sub, err := s.cfg.Live.Subscribe(ctx, x.ID, after)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		defer sub.Close()
		_, w := humago.Unwrap(hctx)
		s.stream(hctx.Context(), w, sub)
	}}, nil
}

// lastEventID reads Last-Event-ID: live.FromNow when absent.
func lastEventID(h string) (int64, error) {
	if strings.TrimSpace(h) == "" {
		return live.FromNow, nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(h), 10, 64)
	if err != nil || id < 0 {
		return 0, convene.FieldErrorf("Last-Event-ID", "must be the id of an event")
	}
	return id, nil
}

// stream writes sub's events to w, flushing each, until the client goes,
// the server shuts down, or the subscriber loses access.
func (s *Server) stream(ctx context.Context, w http.ResponseWriter, sub *live.Subscription) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.StreamsDone():
			cancel()
		case <-ctx.Done():
		}
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	flush := func() { _ = http.NewResponseController(w).Flush() }
	fmt.Fprint(w, ": connected\n\n")
	flush()
	for {
		e, err := nextOrBeat(ctx, sub)
		switch {
		case isBeat(err):
			fmt.Fprint(w, ": heartbeat\n\n")
		case err != nil:
			return // the client went, the server stops, or the feed closed
		default:
			writeEvent(w, e)
		}
		flush()
		if e != nil && endsStream(e) {
			if e.Name == convene.EventSessionDeleted {
				fmt.Fprint(w, "event: access\ndata: {\"access\":\"none\"}\n\n")
				flush()
			}
			return
		}
	}
}

// errBeat is what nextOrBeat answers when no event came in a heartbeat.
var errBeat = fmt.Errorf("heartbeat")

func isBeat(err error) bool { return err == errBeat }

// nextOrBeat waits for sub's next event, at most a heartbeat.
func nextOrBeat(ctx context.Context, sub *live.Subscription) (*convene.SessionEvent, error) {
	wait, cancel := context.WithTimeout(ctx, heartbeat)
	defer cancel()
	e, err := sub.Next(wait)
	if err != nil && ctx.Err() == nil && wait.Err() != nil {
		return nil, errBeat
	}
	return e, err
}

// endsStream reports an event after which the subscriber has no access:
// their own access event "none", or the session's deletion.
func endsStream(e *convene.SessionEvent) bool {
	if e.Name == convene.EventSessionDeleted {
		return true
	}
	return e.AccessOf() == convene.AccessNone
}

// writeEvent writes one event in the text/event-stream format: its id,
// its name, and its data, one data line per line of it.
func writeEvent(w http.ResponseWriter, e *convene.SessionEvent) {
	fmt.Fprintf(w, "id: %d\nevent: %s\n", e.ID, e.Name)
	for _, line := range strings.Split(string(e.Data), "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	fmt.Fprint(w, "\n")
}
