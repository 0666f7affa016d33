package httpd

import (
	"net/http"
	"time"
)

// DefaultWriteTimeout is how long one write of an answer may wait for the
// client to take its bytes (contract section 12: slow clients stay
// bounded).
const DefaultWriteTimeout = 30 * time.Second

// boundWrites drops a client that stops reading its answer, without ever
// cutting off work.
//
// http.Server.WriteTimeout cannot do this: it is one deadline for the whole
// answer, counted from the request's arrival, so a long multi-invite would
// have its answer thrown away (applied, never told). Here the deadline is
// set anew just before each write and flush, and after the handler
// returns (net/http's final flush): each piece of the answer may wait
// WriteTimeout for the client, however long the work before it took. A
// client that reads nothing fills the socket's buffers, the write waits,
// times out and net/http closes the connection. Between writes no deadline
// matters: an expired one is replaced before the next write.
func (s *Server) boundWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Time{}); err != nil {
			next.ServeHTTP(w, r) // no connection to bound (a test's ResponseRecorder)
			return
		}
		bw := &boundedWriter{ResponseWriter: w, rc: rc, timeout: s.cfg.WriteTimeout}
		next.ServeHTTP(bw, r)
		bw.arm()
	})
}

// boundedWriter arms the connection's write deadline before each write.
type boundedWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

func (w *boundedWriter) arm() { _ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout)) }

func (w *boundedWriter) Write(b []byte) (int, error) {
	w.arm()
	return w.ResponseWriter.Write(b)
}

// FlushError is what http.ResponseController.Flush calls.
func (w *boundedWriter) FlushError() error {
	w.arm()
	return w.rc.Flush()
}

// Flush serves callers asserting http.Flusher.
func (w *boundedWriter) Flush() { _ = w.FlushError() }

// Unwrap lets http.ResponseController reach the connection.
func (w *boundedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
