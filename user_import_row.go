package convene

import (
	"strings"
	"unicode/utf8"
)

// importRow checks one record and normalises its contacts.
func importRow(n int, rec []string, cols map[string]int, p ContactParser) (ImportRow, []RowError) {
	row := ImportRow{Row: n, Role: RoleMember}
	var bad []RowError
	for _, c := range rec {
		if !utf8.ValidString(c) || strings.ContainsRune(c, 0) {
			return row, []RowError{{Row: n, Message: "the line is not valid UTF-8 text"}}
		}
	}
	if email := cell(rec, cols, "email"); email != "" {
		if c := p.Parse(email); c.Kind == ContactEmail {
			row.Email = c.Normalized
		} else {
			bad = append(bad, RowError{Row: n, Field: "email", Message: emailProblem(c)})
		}
	}
	if phone := cell(rec, cols, "phone"); phone != "" {
		if c := p.Parse(phone); c.Kind == ContactPhone {
			row.Phone = c.Normalized
		} else {
			bad = append(bad, RowError{Row: n, Field: "phone", Message: phone + " is not a phone number"})
		}
	}
	if role := cell(rec, cols, "role"); role != "" {
		row.Role = Role(strings.ToLower(role))
	}
	row.Name = cell(rec, cols, "name")
	if row.Name == "" {
		row.Name = row.Email
		if row.Name == "" {
			row.Name = row.Phone
		}
	}
	if bad != nil {
		return row, bad
	}
	u := User{Name: row.Name, Email: row.Email, Phone: row.Phone, Role: row.Role}
	if err := u.Validate(); err != nil {
		if e := AsError(err); e != nil && len(e.Fields) > 0 {
			return row, []RowError{{Row: n, Field: e.Fields[0].Field, Message: e.Fields[0].Message}}
		}
		return row, []RowError{{Row: n, Message: ErrorMessage(err)}}
	}
	return row, nil
}

func emailProblem(c Contact) string {
	if c.Reason != "" {
		return c.Reason
	}
	return c.Input + " is not an email address"
}

// duplicates names a contact of row that an earlier row of the file has,
// and remembers row's.
func duplicates(row ImportRow, seen map[string]int) []RowError {
	var bad []RowError
	for _, fc := range [2][2]string{{"email", row.Email}, {"phone", row.Phone}} {
		field, c := fc[0], fc[1]
		if c == "" {
			continue
		}
		if first, dup := seen[c]; dup {
			bad = append(bad, RowError{Row: row.Row, Field: field, Message: c + " is on row " + itoa(first) + " already"})
			continue
		}
		seen[c] = row.Row
	}
	return bad
}
