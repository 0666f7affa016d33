package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"testing"
)

// Bodies that are files, not JSON (the CSV import of users): text/csv is
// text, checked whole by the bad-bytes middleware; a multipart form's
// file field is checked by its operation, naming the field.

// badInText are the bad values raw in a text body: a NUL, an overlong
// NUL, a byte that never starts a character.
var badInText = []string{"x\x00y", "x\xc0\x80y", "\xff"}

// fileByteCases are the bad-bytes requests of an operation's body of
// content type ct; a type with no cases fails t.
func fileByteCases(t *testing.T, op apiOperation, ct string) []byteCase {
	plain := fillPath(op.route.path, "", "")
	var cases []byteCase
	for _, v := range badInText {
		csv := "email,name\r\nbad@example.test," + v + "\r\n"
		c := byteCase{method: op.route.method, path: plain}
		switch ct {
		case "text/csv":
			c.name, c.body, c.field = fmt.Sprintf("%s: text/csv body %q", op.route, v), []byte(csv), "body"
			c.header = []string{"Content-Type", "text/csv"}
		case "multipart/form-data":
			body, contentType := multipartFile(t, "file", csv)
			c.name, c.body, c.field = fmt.Sprintf("%s: multipart file %q", op.route, v), body, "file"
			c.header = []string{"Content-Type", contentType}
		default:
			t.Errorf("%s: bodies of type %s have no bad-bytes cases", op.route, ct)
			return nil
		}
		cases = append(cases, c)
	}
	return cases
}

// multipartFile is a multipart form with content in the file field name,
// and its content type.
func multipartFile(t testing.TB, name, content string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile(name, "users.csv")
	if err == nil {
		_, err = fw.Write([]byte(content))
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}
