package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"convene"
	"convene/internal/poll"
	"convene/internal/storetest"
	"convene/internal/web"
)

// shortWrites gives the server a short write deadline, so that a test sees
// a reader that stops reading dropped soon; TestAcceptOutlastsALock runs
// with it too: work far longer than the deadline keeps its answer.
func shortWrites(c *web.Config) { c.WriteTimeout = 300 * time.Millisecond }

// TestReaderThatStopsIsDropped: a client asks for a 16 MB file through a
// tiny receive window and reads nothing. The server's write waits for it,
// times out after WriteTimeout, and the connection is closed: the request
// ends with part of its answer sent, and the client's reads end instead of
// hanging.
func TestReaderThatStopsIsDropped(t *testing.T) {
	e := newEnv(t, unlimited, shortWrites)
	s := e.session()
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<20)
	f := &convene.File{SessionID: s.ID, Name: "big.bin", ContentType: "application/octet-stream"}
	if err := e.fx.Store.PutFile(storetest.As(e.users["owner"]), f, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("PutFile: %v", err)
	}
	conn := dialTinyWindow(t, e.srv.Listener.Addr().String())
	defer conn.Close()
	req := fmt.Sprintf("GET /api/v1/sessions/%s/files/%s HTTP/1.1\r\nHost: convene.test\r\nAuthorization: Bearer %s\r\nX-Request-Id: stops-reading\r\n\r\n",
		id(s.ID), id(f.ID), e.tokens["owner"])
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	var line requestLine
	poll.Until(t, 30*time.Second, "the server to give up on the reader", func() bool {
		var ok bool
		line, ok = requestLog(e, "stops-reading")
		return ok
	})
	if line.Status != http.StatusOK || line.Bytes >= int64(len(data)) {
		t.Errorf("the reader that stopped: status %d, %d bytes sent; want 200 and less than the file's %d (its write timed out)", line.Status, line.Bytes, len(data))
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second)) // a bound on a failure, not a wait
	got, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the connection stayed open after the server gave up (%d bytes read)", got)
	}
	if got >= int64(len(data)) {
		t.Errorf("read %d bytes from the dropped connection, want less than the file's %d", got, len(data))
	}
}

// requestLine is what a test reads of the server's log line of a request.
type requestLine struct {
	Status int
	Bytes  int64
}

// requestLog returns the server's log line of the request with id.
func requestLog(e *env, id string) (line requestLine, ok bool) {
	for _, l := range strings.Split(e.logText(), "\n") {
		if strings.Contains(l, `"request_id":"`+id+`"`) && strings.Contains(l, `"msg":"request"`) {
			ok = json.Unmarshal([]byte(l), &line) == nil
			return line, ok
		}
	}
	return line, false
}

// dialTinyWindow connects with the smallest receive buffer the kernel
// allows, set before the handshake so that the window offered stays small.
func dialTinyWindow(t *testing.T, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1024) }); cerr != nil {
			return cerr
		}
		return err
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}
