package api

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
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
		_, w := humago.Unwrap(hctx)
		s.serveStream(hctx.Context(), w, sub)
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

// serveStream answers the event stream and writes sub's events to it until
// the client goes, the server shuts down, or the subscriber loses access;
// it closes sub then.
//
// On HTTP/1.1 the stream takes the connection over (Hijack) and the
// handler returns: an idle stream then costs its subscription and a small
// struct (events_direct.go), not the handler's deep stack, net/http's
// buffers and its goroutine watching the connection (issue 10 asks for
// under 20 KB per subscriber at 10,000). Where the connection cannot be
// taken over (HTTP/2), the stream is written from the handler, as
// before; over TLS, from a goroutine of its own. The request's log line
// is written when the stream opens.
func (s *Server) serveStream(ctx context.Context, w http.ResponseWriter, sub *live.Subscription) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	if out, ok := s.detach(w); ok {
		if !s.startDirect(out.conn, sub) {
			go func() {
				defer out.conn.Close()
				s.pump(context.WithoutCancel(ctx), out, sub)
			}()
		}
		return
	}
	w.WriteHeader(http.StatusOK)
	s.pump(ctx, inHandler{w}, sub)
}

// streamOut is where a pumped stream's events go: the connection it took
// over, or the handler's ResponseWriter.
type streamOut interface {
	send(p []byte) error
}

// inHandler writes a stream through the handler's ResponseWriter.
type inHandler struct{ w http.ResponseWriter }

func (o inHandler) send(p []byte) error {
	if _, err := o.w.Write(p); err != nil {
		return err
	}
	return http.NewResponseController(o.w).Flush()
}

// detached writes a stream straight to the connection it took over. Each
// write waits at most the server's write timeout, so that a client that
// stops reading is dropped once its socket's buffers are full, not held
// forever.
type detached struct {
	conn    net.Conn
	timeout time.Duration
}

func (o detached) send(p []byte) error {
	if err := o.conn.SetWriteDeadline(time.Now().Add(o.timeout)); err != nil {
		return err
	}
	_, err := o.conn.Write(p)
	return err
}

// detach takes w's connection over and writes the answer's head on it: a
// 200 whose body ends when the connection closes (so no chunked framing).
func (s *Server) detach(w http.ResponseWriter) (detached, bool) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return detached{}, false
	}
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	w.Header().Del("Content-Length")
	w.Header().Set("Connection", "close")
	_ = w.Header().Write(&head)
	head.WriteString("\r\n")
	out := detached{conn: conn, timeout: s.cfg.WriteTimeout}
	// What net/http buffered but did not write yet goes first.
	if err := rw.Writer.Flush(); err != nil || out.send(head.Bytes()) != nil {
		conn.Close() // the client went: the stream's first send fails and it ends
	}
	return out, true
}

// pump sends sub's events to out until ctx ends (the client went), the
// server shuts down, or the subscriber loses access, and closes sub.
func (s *Server) pump(ctx context.Context, out streamOut, sub *live.Subscription) {
	defer sub.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer s.OnEndStreams(cancel)()
	if out.send([]byte(": connected\n\n")) != nil {
		return
	}
	for {
		e, err := nextOrBeat(ctx, sub)
		var p []byte
		switch {
		case isBeat(err):
			p = []byte(": heartbeat\n\n")
		case err != nil:
			return // the client went, the server stops, or the feed closed
		default:
			p = s.frames.of(e)
		}
		if out.send(p) != nil || (e != nil && endsStream(e)) {
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

// frameCache frames each event once for all the streams that send it:
// it keeps the last event framed, which is the one ten thousand streams
// of a session send in turn.
type frameCache struct{ last atomic.Pointer[framedEvent] }

type framedEvent struct {
	e *convene.SessionEvent
	p []byte
}

// of returns e in the text/event-stream format (frame). The bytes are
// shared: never change them.
func (c *frameCache) of(e *convene.SessionEvent) []byte {
	if f := c.last.Load(); f != nil && f.e == e {
		return f.p
	}
	p := frame(e)
	c.last.Store(&framedEvent{e, p})
	return p
}

// frame writes one event in the text/event-stream format: its id, its
// name, and its data, one data line per line of it; the session's
// deletion brings the subscriber's access event "none" with it.
func frame(e *convene.SessionEvent) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "id: %d\nevent: %s\n", e.ID, e.Name)
	for _, line := range strings.Split(string(e.Data), "\n") {
		fmt.Fprintf(&b, "data: %s\n", line)
	}
	b.WriteString("\n")
	if e.Name == convene.EventSessionDeleted {
		b.WriteString("event: access\ndata: {\"access\":\"none\"}\n\n")
	}
	return b.Bytes()
}
