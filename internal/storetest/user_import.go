package storetest

import (
	"fmt"
	"strings"
	"testing"

	"convene"
	"convene/internal/phone"
)

// parseImport parses a CSV file of users with the tenant's settings.
func (f *Fixture) parseImport(text string) ([]convene.ImportRow, error) {
	return convene.ParseUserImport(strings.NewReader(text), convene.NewContactParser(f.Tenant, phone.Numbering{}))
}

// importCSV parses and imports text as the tenant's admin.
func (f *Fixture) importCSV(t testing.TB, text string, dryRun bool) *convene.ImportResult {
	t.Helper()
	rows, err := f.parseImport(text)
	if err != nil {
		t.Fatalf("ParseUserImport: %v", err)
	}
	res, err := f.Store.ImportUsers(As(f.Admin), rows, dryRun)
	if err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	return res
}

// importFile is a spreadsheet's export of n users: BOM, ";" and CRLF.
func importFile(n int) string {
	var b strings.Builder
	b.WriteString("\ufeffEmail;Name;Role\r\n")
	for i := range n {
		fmt.Fprintf(&b, "User%05d@Acme.test;\"Doe; User %d\";member\r\n", i, i)
	}
	return b.String()
}

func testImport(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s := f.Session(t, f.Admin, "Plans")
	f.ask(t, f.Admin, []int64{s.ID}, convene.AccessView, "user00007@acme.test")
	const n = convene.MaxImportRows
	text := importFile(n)
	users := f.userCount(t)
	dry := f.importCSV(t, text, true)
	if dry.Created != n || f.userCount(t) != users {
		t.Fatalf("dry run: created %d (users now %d, were %d); want %d and nothing written", dry.Created, f.userCount(t), users, n)
	}
	got := f.importCSV(t, text, false)
	if got.Created != n || got.Unchanged != 0 || got.Rows[0].Row != 2 || got.Rows[0].UserID == 0 {
		t.Fatalf("import: %d created, %d unchanged, first %+v", got.Created, got.Unchanged, got.Rows[0])
	}
	u, err := f.Store.FindUserByID(f.Sys(), got.Rows[3].UserID)
	if err != nil || u.Email != "user00003@acme.test" || u.Name != "Doe; User 3" {
		t.Errorf("imported = %+v, %v", u, err)
	}
	f.wantAccess(t, got.Rows[7].UserID, convene.AccessView, s.ID) // the request granted itself
	again := f.importCSV(t, text, false)
	if again.Created != 0 || again.Unchanged != n || again.Rows[5].UserID != got.Rows[5].UserID {
		t.Errorf("re-import: %d created, %d unchanged; want all %d unchanged", again.Created, again.Unchanged, n)
	}
	_, err = f.parseImport(importFile(n + 1))
	wantCode(t, err, convene.ETOOLARGE)
}

func testImportHostile(t *testing.T, open Opener) {
	f := newFixture(t, open)
	cases := []struct {
		name, text string
		row        int
		field      string
	}{
		{"no contact column", "name,role\nAnn,member\n", 1, "header"},
		{"empty", "", 1, "header"},
		{"bad email", "email,name\nann@,Ann\n", 2, "email"},
		{"bad role", "email,role\nann@acme.test,root\n", 2, "role"},
		{"duplicate", "email\nann@acme.test\nANN@acme.test\n", 3, "email"},
		{"not UTF-8", "email,name\nann@acme.test,\xff\xfe\n", 2, ""},
		{"bare quote", "email,name\nann@acme.test,a\"b\"c\n", 2, ""},
		{"NUL", "email,name\nann@acme.test,a\x00b\n", 2, ""},
	}
	for _, c := range cases {
		_, err := f.parseImport(c.text)
		ie, ok := err.(*convene.ImportError)
		if !ok || convene.ErrorCode(err) != convene.EINVALID || ie.Rows[0].Row != c.row || ie.Rows[0].Field != c.field {
			t.Errorf("%s: error %#v, want row %d field %q", c.name, err, c.row, c.field)
		}
	}
	formula := `email,name` + "\n" + `eve@acme.test,"=HYPERLINK(""http://evil.test"",""click"")"` + "\n"
	res := f.importCSV(t, formula, false)
	u, err := f.Store.FindUserByID(f.Sys(), res.Rows[0].UserID)
	if err != nil || u.Name != `=HYPERLINK("http://evil.test","click")` {
		t.Fatalf("formula row = %+v, %v; want the text kept as is", u, err)
	}
	if got := convene.CSVCell(u.Name); got != "'"+u.Name {
		t.Errorf("exported cell = %q, want it escaped", got)
	}
	_, err = f.Store.ImportUsers(As(f.Member(t, "mo")), nil, true)
	wantCode(t, err, convene.EFORBIDDEN)
}
