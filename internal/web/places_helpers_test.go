package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"testing"

	"convene"
	"convene/internal/storetest"
)

// note adds a note by the owner to a fresh session (env.session).
func (e *env) note() (*convene.Session, *convene.Note) {
	e.t.Helper()
	s := e.session()
	n := &convene.Note{SessionID: s.ID, Title: "Agenda", Body: "- first"}
	if err := e.fx.Store.CreateNote(storetest.As(e.users["owner"]), n); err != nil {
		e.t.Fatalf("CreateNote: %v", err)
	}
	return s, n
}

// message posts a message by the owner in a fresh session.
func (e *env) message() (*convene.Session, *convene.Message) {
	e.t.Helper()
	s := e.session()
	m := &convene.Message{SessionID: s.ID, Body: "hello"}
	if err := e.fx.Store.PostMessage(storetest.As(e.users["owner"]), m); err != nil {
		e.t.Fatalf("PostMessage: %v", err)
	}
	return s, m
}

// storedFile keeps a file by the owner in a fresh session.
func (e *env) storedFile(name, contentType string, data []byte) (*convene.Session, *convene.File) {
	e.t.Helper()
	s := e.session()
	f := &convene.File{SessionID: s.ID, Name: name, ContentType: contentType}
	if err := e.fx.Store.PutFile(storetest.As(e.users["owner"]), f, bytes.NewReader(data), convene.DefaultMaxFileBytes); err != nil {
		e.t.Fatalf("PutFile: %v", err)
	}
	return s, f
}

// upload is a multipart body with one file part, as a browser sends it.
func upload(t testing.TB, field, name, contentType string, data []byte) headed {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, name))
	h.Set("Content-Type", contentType)
	p, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	p.Write(data)
	w.Close()
	return headed{body: b.Bytes(), header: []string{"Content-Type", w.FormDataContentType()}}
}

func ifMatch(version int64) []string { return []string{"If-Match", fmt.Sprintf(`"%d"`, version)} }
