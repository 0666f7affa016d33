package httpd

import (
	"convene"
	"strconv"
	"strings"
	"unicode/utf8"
)

func FormatID(id int64) string { return strconv.FormatInt(id, 10) }

// parseID reads a decimal int64 id; ok is false for anything else, which
// callers answer like an id that does not exist.
func ParseID(s string) (int64, bool) {
	if s == "" || len(s) > 19 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// pathID parses the id of a path parameter: ENOTFOUND when it is no id.
func PathID(s, what string) (int64, error) {
	id, ok := ParseID(s)
	if !ok {
		return 0, convene.Errorf(convene.ENOTFOUND, "%s not found", what)
	}
	return id, nil
}

// checkLine returns EINVALID unless v is valid UTF-8 of at most max
// characters without control characters (CR, LF, NUL...).
func CheckLine(field, v string, max int) error {
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
		return convene.FieldErrorf(field, "must be at most %d characters", max)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return convene.FieldErrorf(field, "must be on one line, without control characters")
		}
	}
	return nil
}
