package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// pairRows are the items of a batch's pairs page as the batch page reads them.
type pairRows struct {
	Items []struct {
		Contact string `json:"contact"`
		Outcome string `json:"outcome"`
	} `json:"items"`
}

func (p pairRows) outcomes() string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Contact+":"+it.Outcome)
	}
	return strings.Join(out, ",")
}

// TestAccessBatchRows: the pairs of a bulk access change, paged, filtered
// by its own outcomes and downloaded, read as that change did them (not
// as a multi-invite's letters would read), on both databases; detail=true
// lists every row with its contact, the skipped entries too.
func TestAccessBatchRows(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		s := e.session() // collab collaborates, viewer views, owner owns
		var b batchAnswer
		e.do("admin", "POST", "/api/v1/access/bulk", map[string]any{"session_ids": []string{id(s.ID)},
			"contacts": "collab@acme.test, viewer@acme.test, owner@acme.test, member@acme.test, nobody@example.test", "action": "view"}).decode(t, &b)
		pairs := "/api/v1/invitations/batches/" + b.BatchID + "/pairs"
		var all pairRows
		e.do("admin", "GET", pairs+"?detail=true", nil).decode(t, &all)
		want := "collab@acme.test:changed,viewer@acme.test:unchanged,owner@acme.test:owner,member@acme.test:not_member,nobody@example.test:skipped"
		if got := all.outcomes(); got != want {
			t.Errorf("detail=true: %s, want %s", got, want)
		}
		for outcome, want := range map[string]string{"changed": "collab@acme.test:changed", "not_member": "member@acme.test:not_member", "owner": "owner@acme.test:owner"} {
			var page pairRows
			e.do("admin", "GET", pairs+"?outcome="+outcome, nil).decode(t, &page)
			if got := page.outcomes(); got != want {
				t.Errorf("outcome=%s: %s, want %s", outcome, got, want)
			}
		}
		dl := e.do("admin", "GET", pairs+".csv?outcome=changed", nil)
		wantStatus(t, dl, http.StatusOK, "pairs.csv of the access change")
		recs, err := csv.NewReader(bytes.NewReader(dl.body)).ReadAll()
		if err != nil || len(recs) != 2 || recs[1][0] != "collab@acme.test" || recs[1][5] != "changed" {
			t.Errorf("pairs.csv?outcome=changed: %v %q, want collab's changed pair", err, dl.body)
		}
		wantProblem(t, e.do("admin", "GET", pairs+"?outcome=removed", nil), http.StatusUnprocessableEntity, "an outcome no batch has")
	})
}

// TestImportPreviewRows: a dry run's rows say what each row was read as
// (name, contacts normalised, role), for the dialog's preview table.
func TestImportPreviewRows(t *testing.T) {
	e := newEnv(t, unlimited)
	got := e.do("admin", "POST", "/api/v1/users/import?dry_run=true", csvText("email,phone,name,role\nNew.Person@Example.test,,New Person,session_admin\n,(212) 555-0199,,\nmember@acme.test,,,\n"))
	wantStatus(t, got, http.StatusOK, "dry run")
	var res struct {
		Rows []struct {
			Row                               int
			Outcome, Name, Email, Phone, Role string
		}
	}
	got.decode(t, &res)
	if len(res.Rows) != 3 {
		t.Fatalf("rows %s, want 3", got.body)
	}
	first, second, third := res.Rows[0], res.Rows[1], res.Rows[2]
	if first.Outcome != "created" || first.Name != "New Person" || first.Email != "new.person@example.test" || first.Role != "session_admin" {
		t.Errorf("row 2 read as %+v", first)
	}
	if second.Phone != "+12125550199" || second.Name == "" || second.Role != "member" {
		t.Errorf("row 3 read as %+v, want its phone in E.164, a name and the member role", second)
	}
	if third.Outcome != "unchanged" || third.Email != "member@acme.test" {
		t.Errorf("row 4 read as %+v, want member's row unchanged", third)
	}
}
