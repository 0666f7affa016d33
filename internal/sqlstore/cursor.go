package sqlstore

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"convene"
)

// encodeCursor packs the keyset values of the last row of a page into an
// opaque string.
func encodeCursor(vals ...any) string {
	b, _ := json.Marshal(vals)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor unpacks what encodeCursor packed into dst, or EINVALID.
func decodeCursor(cursor string, dst ...any) error {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		raw := make([]json.RawMessage, 0, len(dst))
		if err = json.Unmarshal(b, &raw); err == nil && len(raw) == len(dst) {
			for i := range dst {
				if err = json.Unmarshal(raw[i], dst[i]); err != nil {
					break
				}
			}
		} else if err == nil {
			err = errBadCursor
		}
	}
	if err != nil {
		return convene.FieldErrorf("cursor", "is not a cursor this API gave out")
	}
	return nil
}

var errBadCursor = convene.Errorf(convene.EINVALID, "bad cursor")

// clampLimit bounds a page size, using def for 0.
func clampLimit(limit, def, most int) int {
	if limit <= 0 {
		return def
	}
	return min(limit, most)
}

// LikePattern is a LIKE pattern matching s anywhere, with \ as escape.
func LikePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
