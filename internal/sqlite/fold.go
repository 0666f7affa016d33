package sqlite

import (
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// foldFunc is the SQL function that lower-cases text the way Go does, for
// searches that ignore case beyond ASCII ("ärger" finds "Ärger"), which
// SQLite's own lower() and LIKE do not.
const foldFunc = "convene_fold"

// The driver adds registered functions to every connection it opens; the
// registration is the driver's, like the driver's own under "sqlite".
func init() {
	sqlite.MustRegisterDeterministicScalarFunction(foldFunc, 1, fold)
}

// fold lower-cases a text or blob argument; anything else (NULL) is
// returned as it is.
func fold(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case string:
		return foldText(v), nil
	case []byte:
		return foldText(string(v)), nil
	}
	return args[0], nil
}

// foldText is the folding of foldFunc, for the search texts folded in Go
// and compared with titles folded in SQL.
func foldText(s string) string { return strings.ToLower(s) }
