package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"convene"
)

// End-to-end tests of contract section 14 over HTTP, on both databases.

// batchAnswer is the part of a multi-invite's answer these tests read.
type batchAnswer struct {
	BatchID string                       `json:"batch_id"`
	Counts  map[string]int               `json:"counts"`
	Results []map[string]json.RawMessage `json:"results"`
}

// The preview answers what the real call then answers (but the batch id),
// and writes nothing; the real call asks for the unregistered contact.
func TestPreviewEqualsBulkInvite(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		s1, s2 := e.session(), e.session()
		body := map[string]any{"session_ids": []string{id(s1.ID), id(s2.ID)},
			"contacts": "member@acme.test, viewer@acme.test, New Person <new.person@example.test>", "unregistered": "request"}
		before := e.snapshot(t)
		var preview, real batchAnswer
		e.do("sadmin", "POST", "/api/v1/invitations/bulk/preview", body).decode(t, &preview)
		e.wantNoWrites(t, before, "the preview")
		e.do("sadmin", "POST", "/api/v1/invitations/bulk", body).decode(t, &real)
		if preview.BatchID != "" || real.BatchID == "" {
			t.Errorf("batch ids: preview %q, real %q; want none and one", preview.BatchID, real.BatchID)
		}
		for _, r := range append(slices.Clone(preview.Results), real.Results...) {
			delete(r, "request_id")
		}
		p, _ := json.Marshal(preview.Results)
		r, _ := json.Marshal(real.Results)
		if !bytes.Equal(p, r) || fmt.Sprint(preview.Counts) != fmt.Sprint(real.Counts) {
			t.Errorf("preview %v %s\nreal %v %s", preview.Counts, p, real.Counts, r)
		}
		if real.Counts["requested"] != 1 || !strings.Contains(string(r), `"status":"requested"`) {
			t.Errorf("counts %v, results %s: want one requested", real.Counts, r)
		}
		var reqs struct{ Items []map[string]any }
		e.do("admin", "GET", "/api/v1/access-requests?status=pending", nil).decode(t, &reqs)
		if len(reqs.Items) != 1 || reqs.Items[0]["contact"] != "new.person@example.test" {
			t.Fatalf("pending requests: %+v, want the new person's", reqs.Items)
		}
		approved := e.do("admin", "POST", "/api/v1/access-requests/approve", map[string]any{"ids": []any{reqs.Items[0]["id"]}})
		wantStatus(t, approved, http.StatusOK, "approve")
		if !strings.Contains(string(approved.body), `"status":"granted"`) {
			t.Errorf("approve answered %s, want the request granted", approved.body)
		}
	})
}

// A hostile file: a formula in a cell, a BOM, ';' separators and CRLF. It
// imports, the formula kept as text in the name. A multi-invite of its
// person into a session titled with a formula exports the title escaped
// in pairs.csv, filtered by q.
func TestImportHostileCSVAndPairsCSV(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		file := "\xef\xbb\xbfemail;name;role\r\nevil@example.test;\"=HYPERLINK(\"\"http://evil.test\"\";\"\"x\"\")\";member\r\n"
		got := e.do("admin", "POST", "/api/v1/users/import", csvText(file))
		wantStatus(t, got, http.StatusOK, "import")
		var res struct {
			Counts map[string]int
			Rows   []struct {
				Row     int
				Outcome string
				UserID  string `json:"user_id"`
			}
		}
		got.decode(t, &res)
		if res.Counts["created"] != 1 || len(res.Rows) != 1 || res.Rows[0].Row != 2 {
			t.Fatalf("import answered %s", got.body)
		}
		s := e.fx.Session(t, e.users["owner"], "=SUM(A1:A9)")
		contact := "evil@example.test"
		var b batchAnswer
		e.do("admin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s.ID)},
			"contacts": []string{contact, "nobody@example.test"}}).decode(t, &b)
		dl := e.do("admin", "GET", "/api/v1/invitations/batches/"+b.BatchID+"/pairs.csv?q=sum(a1", nil)
		wantStatus(t, dl, http.StatusOK, "pairs.csv")
		recs, err := csv.NewReader(bytes.NewReader(dl.body)).ReadAll()
		if err != nil || len(recs) != 2 || strings.Join(recs[0], ",") != "contact,status,user_id,session_id,session_title,outcome,reason" {
			t.Fatalf("pairs.csv: %v %q", err, dl.body)
		}
		if recs[1][0] != contact || recs[1][3] != id(s.ID) || recs[1][4] != "'=SUM(A1:A9)" || recs[1][5] != "added" {
			t.Errorf("pairs.csv row %q, want the title escaped and the pair added", recs[1])
		}
		var skipped struct{ Items []map[string]any }
		e.do("admin", "GET", "/api/v1/invitations/batches/"+b.BatchID+"/pairs?outcome=skipped", nil).decode(t, &skipped)
		if len(skipped.Items) != 1 || skipped.Items[0]["contact"] != "nobody@example.test" {
			t.Errorf("skipped pairs %+v, want nobody's", skipped.Items)
		}
	})
}

// A file with a bad row is refused whole, per row; 10,001 rows are 413.
func TestImportRefusals(t *testing.T) {
	e := newEnv(t, unlimited)
	before := e.snapshot(t)
	got := e.do("admin", "POST", "/api/v1/users/import", csvText("email,name\nok@example.test,Ok\nnot-an-email,Bad\n"))
	wantProblem(t, got, http.StatusUnprocessableEntity, "a bad row")
	var p struct{ Rows []convene.RowError }
	got.decode(t, &p)
	if len(p.Rows) != 1 || p.Rows[0].Row != 3 || p.Rows[0].Field != "email" {
		t.Errorf("rows %+v, want row 3's email", p.Rows)
	}
	var big strings.Builder
	big.WriteString("email\n")
	for i := range convene.MaxImportRows + 1 {
		fmt.Fprintf(&big, "u%d@example.test\n", i)
	}
	wantProblem(t, e.do("admin", "POST", "/api/v1/users/import", csvText(big.String())), http.StatusRequestEntityTooLarge, "10,001 rows")
	wantProblem(t, e.do("admin", "POST", "/api/v1/users/import", map[string]any{"email": "json@example.test"}), http.StatusUnsupportedMediaType, "JSON type")
	e.wantNoWrites(t, before, "refused imports")
}

// 10,000 rows import as a multipart file, then again: all unchanged; a
// dry run first writes nothing.
func TestImportTenThousandTwice(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		var f strings.Builder
		f.WriteString("email,name\r\n")
		for i := range convene.MaxImportRows {
			fmt.Fprintf(&f, "person%d@example.test,Person %d\r\n", i, i)
		}
		body, ct := multipartFile(t, "file", f.String())
		send := func(query string) map[string]int {
			got := e.do("admin", "POST", "/api/v1/users/import"+query, body, "Content-Type", ct)
			wantStatus(t, got, http.StatusOK, "import"+query)
			var res struct{ Counts map[string]int }
			got.decode(t, &res)
			return res.Counts
		}
		before := e.snapshot(t)
		if c := send("?dry_run=true"); c["created"] != convene.MaxImportRows {
			t.Errorf("dry run counts %v", c)
		}
		e.wantNoWrites(t, before, "the dry run")
		if c := send(""); c["created"] != convene.MaxImportRows {
			t.Errorf("first import counts %v", c)
		}
		if c := send(""); c["unchanged"] != convene.MaxImportRows || c["created"] != 0 {
			t.Errorf("second import counts %v", c)
		}
	})
}
