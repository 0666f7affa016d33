package httpd

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultBodyTimeout is how long a request's body may take to arrive once
// its headers are in, and what cmd/convene gives the headers themselves
// (http.Server.ReadHeaderTimeout): contract section 12's 30 s.
const DefaultBodyTimeout = 30 * time.Second

// boundBody bounds slow clients without ever cutting off work.
//
// Why it exists: a read deadline on the connection that is still set once
// the body has been read cancels the request. net/http, after the handler
// has read the body to its end, starts a background read on the connection
// to notice a client hanging up; when that read hits the deadline, net/http
// takes it for a dead connection and cancels the request's context, so a
// grant or an accept still working dies with a 500 at the deadline. That is
// what huma's default 5 s BodyReadTimeout did (op turns it off) and what
// http.Server.ReadTimeout does (cmd/convene leaves it unset).
//
// So the deadline covers the body's arrival only: it is set here, before
// any layer reads the body, and cleared the moment the body has been read
// to its end (io.EOF). A request without a body has its deadline cleared at
// once. A body that has not arrived in time fails to read; the deadline
// stays, so that net/http's own reads of the rest fail too and it closes
// the connection.
func (s *Server) boundBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if r.Body == nil || r.Body == http.NoBody {
			_ = rc.SetReadDeadline(time.Time{}) // whatever the http.Server set
			next.ServeHTTP(w, r)
			return
		}
		if err := rc.SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout)); err != nil {
			// No connection to bound (a test's ResponseRecorder).
			next.ServeHTTP(w, r)
			return
		}
		r.Body = &arrivalBody{ReadCloser: r.Body, done: func() { _ = rc.SetReadDeadline(time.Time{}) }}
		next.ServeHTTP(w, r)
	})
}

// arrivalBody calls done once, when a read reaches the end of the body. Clearing the deadline then also frees net/http's background read,
// already waiting on the connection: a deadline applies to pending reads.
type arrivalBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *arrivalBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(b.done)
	}
	return n, err
}
