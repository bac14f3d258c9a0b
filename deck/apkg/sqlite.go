package apkg

import (
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/text/cases"
	"modernc.org/sqlite"
)

// apkgDriver is the database/sql driver name for Anki collections: the
// modernc SQLite driver with Anki's "unicase" collation, which schema-18
// tables declare on their name columns (without it SQLite cannot check or
// use their indexes). It is a driver of its own so the collation does not
// leak into other users of "sqlite".
const apkgDriver = "srs-apkg-sqlite"

var registerAPKGDriver = sync.OnceFunc(func() {
	d := &sqlite.Driver{}
	d.MustRegisterCollationUtf8("unicase", apkgUnicase)
	sql.Register(apkgDriver, d)
})

// apkgUnicase compares like Anki's unicase collation: by Unicode case folding.
func apkgUnicase(a, b string) int {
	f := cases.Fold()
	return strings.Compare(f.String(a), f.String(b))
}

// apkgOpenHostileDB opens an SQLite file from an untrusted package. The file is
// our private copy, so it is opened immutable (no locks, no WAL or journal
// files looked for: v3 collections are left in WAL mode) and read-only, with
// the hardening sqlite.org/security.html recommends for attacker-controlled
// databases: defensive mode, trusted_schema off so schema-defined SQL cannot
// call functions with side effects, cell size checks, and no memory mapping.
func apkgOpenHostileDB(path string) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Path: path}
	q := "mode=ro&immutable=1&_defensive=1" +
		"&_pragma=trusted_schema(0)&_pragma=cell_size_check(1)&_pragma=mmap_size(0)&_query_only=1"
	registerAPKGDriver()
	db, err := sql.Open(apkgDriver, u.String()+"?"+q)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// apkgCheckHostileDB runs SQLite's integrity check and makes sure every table
// the reader selects from is an ordinary table: a view or a virtual table of
// the same name would run the package's SQL instead of returning rows.
func apkgCheckHostileDB(db *sql.DB, tables ...string) error {
	var res string
	if err := db.QueryRow("PRAGMA quick_check(1)").Scan(&res); err != nil {
		return fmt.Errorf("not an SQLite database: %v", err)
	}
	if res != "ok" {
		return fmt.Errorf("damaged SQLite database: %.200s", apkgOneLine(res))
	}
	rows, err := db.Query("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE type IN ('table', 'view')")
	if err != nil {
		return fmt.Errorf("reading the schema: %v", err)
	}
	defer rows.Close()
	kinds := map[string]string{}
	for rows.Next() {
		var typ, name, ddl string
		if err := rows.Scan(&typ, &name, &ddl); err != nil {
			return fmt.Errorf("reading the schema: %v", err)
		}
		if typ == "table" && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(ddl)), "CREATE VIRTUAL") {
			typ = "virtual table"
		}
		kinds[strings.ToLower(name)] = typ
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading the schema: %v", err)
	}
	for _, t := range tables {
		switch k := kinds[t]; k {
		case "table":
		case "":
			return fmt.Errorf("not an Anki collection: no %s table", t)
		default:
			return fmt.Errorf("not an Anki collection: %s is a %s, not a table", t, k)
		}
	}
	return nil
}

// apkgOneLine folds text from a package onto one line for an error.
func apkgOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var (
	apkgScanErrorRE = regexp.MustCompile(`^sql: Scan error on column index \d+, name "([^"]*)": (.*)$`)
	apkgConvertRE   = regexp.MustCompile(`^converting driver\.Value type \w+ \((.*)\) to a (\w+)`)
)

// apkgScanError says which column of a row could not be read, and why,
// instead of database/sql's words about Go types: Anki declares these
// columns NOT NULL and typed, so a NULL or a stray string is a damaged or
// hand-made package, and Anki would refuse it too.
func apkgScanError(err error) error {
	m := apkgScanErrorRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	col, what := m[1], m[2]
	switch c := apkgConvertRE.FindStringSubmatch(what); {
	case strings.HasPrefix(what, "converting NULL"):
		return fmt.Errorf("column %s is NULL", col)
	case c != nil && strings.HasPrefix(c[2], "int"):
		return fmt.Errorf("column %s holds %.40s, not a whole number", col, c[1])
	case c != nil:
		return fmt.Errorf("column %s holds %.40s, not a %s", col, c[1], c[2])
	}
	return fmt.Errorf("column %s: %s", col, what)
}
