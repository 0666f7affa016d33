package convene_test

import (
	"slices"
	"strings"
	"testing"

	"convene"
)

func TestParseUserImport(t *testing.T) {
	p := newParser(t, "US", "")
	tests := []struct {
		name string
		text string
		want []convene.ImportRow
	}{
		{"comma, LF", "email,name\nann@acme.test,Ann\n",
			[]convene.ImportRow{{Row: 2, Email: "ann@acme.test", Name: "Ann", Role: convene.RoleMember}}},
		{"Excel: BOM, semicolons, CRLF, quoted", "\ufeffName;E-Mail;Email;Phone;Role\r\n\"Doe; Ann\";x;ANN@acme.test;(324) 576-8342;Session_Admin\r\n",
			[]convene.ImportRow{{Row: 2, Email: "ann@acme.test", Phone: "+13245768342", Name: "Doe; Ann", Role: convene.RoleSessionAdmin}}},
		{"no name: the contact", "phone\n+1 324 576 8342\n",
			[]convene.ImportRow{{Row: 2, Phone: "+13245768342", Name: "+13245768342", Role: convene.RoleMember}}},
		{"quoted line break", "email,name\nann@acme.test,\"Ann\nAble\"\n", nil},
		{"formula kept", "email,name\nann@acme.test,=1+2\n",
			[]convene.ImportRow{{Row: 2, Email: "ann@acme.test", Name: "=1+2", Role: convene.RoleMember}}},
	}
	for _, tt := range tests {
		got, err := convene.ParseUserImport(strings.NewReader(tt.text), p)
		if tt.want == nil {
			if convene.ErrorCode(err) != convene.EINVALID {
				t.Errorf("%s: %v, want a row error", tt.name, err)
			}
			continue
		}
		if err != nil || len(got) != len(tt.want) || got[0] != tt.want[0] {
			t.Errorf("%s: %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestParseUserImportRowErrors(t *testing.T) {
	text := "email,phone,role\nann@,,\n,12,member\n,,\nbob@acme.test,,boss\n"
	_, err := convene.ParseUserImport(strings.NewReader(text), newParser(t, "US", ""))
	ie, ok := err.(*convene.ImportError)
	if !ok {
		t.Fatalf("err = %v, want an ImportError", err)
	}
	want := []convene.RowError{{Row: 2, Field: "email"}, {Row: 3, Field: "phone"}, {Row: 4, Field: "name"}, {Row: 5, Field: "role"}}
	if len(ie.Rows) != len(want) {
		t.Fatalf("rows = %+v, want %d problems", ie.Rows, len(want))
	}
	for i, w := range want {
		if ie.Rows[i].Row != w.Row || ie.Rows[i].Field != w.Field || ie.Rows[i].Message == "" {
			t.Errorf("problem %d = %+v, want row %d field %s with a message", i, ie.Rows[i], w.Row, w.Field)
		}
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "Ann": "Ann", "": "", "a=b": "a=b",
	} {
		if got := convene.CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEntryPairsAndFilter(t *testing.T) {
	titles := map[int64]string{1: "Plans", 2: "Budget"}
	granted := convene.BatchEntry{Input: "ann@acme.test", Status: convene.StatusRegistered, UserID: 5, Letters: "au"}
	skipped := convene.BatchEntry{Input: "+13245768342", Status: convene.StatusUnregistered}
	var rows []convene.BatchPairRow
	for _, e := range []convene.BatchEntry{granted, skipped} {
		convene.EntryPairs(e, []int64{1, 2}, titles, func(r convene.BatchPairRow) bool { rows = append(rows, r); return true })
	}
	if len(rows) != 3 || rows[1].Outcome != convene.OutcomeUpgraded || rows[1].SessionTitle != "Budget" || rows[2].Outcome != convene.OutcomeSkipped {
		t.Fatalf("rows = %+v", rows)
	}
	tests := []struct {
		f    convene.PairFilter
		want int
	}{
		{convene.PairFilter{}, 3},
		{convene.PairFilter{Outcome: convene.OutcomeAdded}, 1},
		{convene.PairFilter{Query: "budg"}, 1},
		{convene.PairFilter{Query: "3245"}, 1},
		{convene.PairFilter{Outcome: convene.OutcomeSkipped, Query: "ann"}, 0},
	}
	for _, tt := range tests {
		n := 0
		for _, r := range rows {
			if tt.f.Match(r) {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("%+v matches %d, want %d", tt.f, n, tt.want)
		}
	}
	// A bulk access change's letters read as its own outcomes.
	changed := convene.BatchEntry{Input: "bo@acme.test", Status: convene.StatusRegistered, UserID: 6, Letters: "cvxon", AccessChange: true}
	var got []convene.Outcome
	convene.EntryPairs(changed, []int64{1, 2, 3, 4, 5}, titles, func(r convene.BatchPairRow) bool { got = append(got, r.Outcome); return true })
	want := []convene.Outcome{convene.OutcomeChanged, convene.OutcomeChanged, convene.OutcomeNotMember, convene.OutcomeOwner, convene.OutcomeUnchanged}
	if !slices.Equal(got, want) {
		t.Errorf("outcomes of an access change's entry = %v, want %v", got, want)
	}
	if err := (convene.PairFilter{Outcome: convene.OutcomeNotMember}).Validate(); err != nil {
		t.Errorf("outcome not_member: %v, want valid", err)
	}
	if got := convene.ErrorCode(convene.PairFilter{Outcome: "invited"}.Validate()); got != convene.EINVALID {
		t.Errorf("outcome invited: %q, want invalid", got)
	}
	if rec := rows[0].CSVRecord(); len(rec) != len(convene.PairCSVHeader) || rec[3] != "1" || rec[2] != "5" {
		t.Errorf("record = %q", rec)
	}
}
