package convene

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxImportRows bounds the rows of one CSV import of users.
const MaxImportRows = 10000

// ImportRow is one valid row of a CSV import, its contacts normalised.
type ImportRow struct {
	Row   int // the line's number among the records, the header being 1
	Email string
	Phone string
	Name  string
	Role  Role
}

// RowError names what is wrong with one row of an import.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportError is an import refused for its rows: EINVALID, every problem
// listed, nothing written.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string { return fmt.Sprintf("%d problems in the CSV file", len(e.Rows)) }

// Unwrap gives the domain error, so that ErrorCode reads EINVALID.
func (e *ImportError) Unwrap() error {
	return Errorf(EINVALID, "%d rows of the file have problems; nothing was imported", len(e.Rows))
}

// ImportOutcome is what an import did, or would do, with one row.
type ImportOutcome struct {
	Row     int
	Outcome string // "created" or "unchanged"
	UserID  int64  // 0 for a row a dry run would create
}

// ImportResult is the answer of an import.
type ImportResult struct {
	Created, Unchanged int
	Rows               []ImportOutcome
}

// UserImportService registers users from a CSV file.
type UserImportService interface {
	// ImportUsers registers every row of rows (ParseUserImport) whose
	// email or phone nobody has yet, as one transaction, and leaves the
	// others unchanged; with dryRun it answers the same and writes nothing.
	// Tenant Admins (EFORBIDDEN).
	ImportUsers(ctx context.Context, rows []ImportRow, dryRun bool) (*ImportResult, error)
}

// ParseUserImport reads a CSV file of users as spreadsheets export them:
// a UTF-8 byte order mark, ";" or "," between fields (whichever the header
// line has more of), quoted fields, CRLF. The header names any of email,
// phone, name, role (case ignored). Each row needs an email or a phone; a
// row without a name is named by its contact, one without a role is a
// member. ETOOLARGE past MaxImportRows; *ImportError for every bad row. A
// cell that looks like a formula is kept as the text it is.
func ParseUserImport(r io.Reader, p ContactParser) ([]ImportRow, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	head, _ := br.Peek(64 << 10)
	cr := csv.NewReader(br)
	cr.Comma = detectComma(head)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &ImportError{Rows: []RowError{{Row: 1, Field: "header", Message: headerProblem(err)}}}
	}
	cols, err := importColumns(header)
	if err != nil {
		return nil, err
	}
	return readImportRows(cr, cols, p)
}

// detectComma picks the separator of the header line: ";" when it has
// more of them than commas (Excel in many locales), else ",".
func detectComma(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

func headerProblem(err error) string {
	if errors.Is(err, io.EOF) {
		return "the file is empty: it needs a header row naming email, phone, name or role"
	}
	return "the header row cannot be read as CSV: " + err.Error()
}

// importColumns maps the known header names to their column.
func importColumns(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var bad []RowError
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch name {
		case "email", "phone", "name", "role":
			if _, dup := cols[name]; dup {
				bad = append(bad, RowError{Row: 1, Field: name, Message: "the header names this column twice"})
			}
			cols[name] = i
		}
	}
	if _, e := cols["email"]; !e {
		if _, ph := cols["phone"]; !ph {
			bad = append(bad, RowError{Row: 1, Field: "header", Message: "the header row must name an email or a phone column"})
		}
	}
	if bad != nil {
		return nil, &ImportError{Rows: bad}
	}
	return cols, nil
}

// readImportRows reads and checks every record after the header.
func readImportRows(cr *csv.Reader, cols map[string]int, p ContactParser) ([]ImportRow, error) {
	var rows []ImportRow
	var bad []RowError
	seen := map[string]int{}
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if len(rows)+len(bad) >= MaxImportRows {
			return nil, Errorf(ETOOLARGE, "at most %d rows per import", MaxImportRows)
		}
		if err != nil {
			bad = append(bad, RowError{Row: n, Field: "", Message: "this line cannot be read as CSV: " + err.Error()})
			continue
		}
		row, problems := importRow(n, rec, cols, p)
		problems = append(problems, duplicates(row, seen)...)
		if problems != nil {
			bad = append(bad, problems...)
			continue
		}
		rows = append(rows, row)
	}
	if bad != nil {
		return nil, &ImportError{Rows: bad}
	}
	return rows, nil
}

// cell returns the trimmed cell of column name, "" when absent.
func cell(rec []string, cols map[string]int, name string) string {
	i, ok := cols[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func itoa(n int) string { return strconv.Itoa(n) }
