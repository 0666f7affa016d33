package sqlstore

import (
	"maps"
	"testing"

	"convene"
)

func TestEachMemberReadsTheAggregate(t *testing.T) {
	got := map[int64]convene.Access{}
	if err := eachMember("17c 18v 5o", func(u int64, a convene.Access) { got[u] = a }); err != nil {
		t.Fatalf("eachMember: %v", err)
	}
	want := map[int64]convene.Access{17: convene.AccessCollaborate, 18: convene.AccessView, 5: convene.AccessOwner}
	if !maps.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	for _, bad := range []string{"", "17", "17x", "c", "17c  18v", "x7c", "17c,18v"} {
		if err := eachMember(bad, func(int64, convene.Access) {}); err == nil {
			t.Errorf("eachMember(%q): no error", bad)
		}
	}
}

func TestAuditCursors(t *testing.T) {
	tests := []struct {
		name   string
		cursor string
		want   auditPosition
	}{
		{"none", "", auditPosition{}},
		{"an item of an entry", encodeCursor(12, 3457), auditPosition{12, 3457}},
		{"a row of one event", encodeCursor(12, 0), auditPosition{12, 0}},
		// A cursor of the listing before batch entries: continue below row 10.
		{"of the old listing", encodeCursor(10), startOfRow(9)},
		{"of the old listing, at its end", encodeCursor(1), auditPosition{row: -1}},
	}
	for _, tt := range tests {
		if got, err := decodeAuditCursor(tt.cursor); err != nil || got != tt.want {
			t.Errorf("%s: decodeAuditCursor(%q) = %+v, %v; want %+v", tt.name, tt.cursor, got, err, tt.want)
		}
	}
	for _, bad := range []string{"x", encodeCursor(12, -1), encodeCursor(12, lastPlace+1), encodeCursor(0, 3), encodeCursor("a", 1), encodeCursor(1, 2, 3)} {
		if _, err := decodeAuditCursor(bad); convene.ErrorCode(err) != convene.EINVALID {
			t.Errorf("decodeAuditCursor(%q): %v, want EINVALID", bad, err)
		}
	}
}
