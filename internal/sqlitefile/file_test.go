package sqlitefile

import (
	"bytes"
	"cmp"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the reference reader
)

func TestSQLiteVarint(t *testing.T) {
	tests := []struct {
		v    uint64
		want string // hex
	}{
		{0, "00"},
		{1, "01"},
		{0x7f, "7f"},
		{0x80, "8100"},
		{0xff, "817f"},
		{0x3fff, "ff7f"},
		{0x4000, "818000"},
		{0x1fffff, "ffff7f"},
		{0x200000, "81808000"},
		{0xfffffff, "ffffff7f"},
		{0x10000000, "8180808000"},
		{1<<35 - 1, "ffffffff7f"},
		{1 << 35, "818080808000"},
		{1<<42 - 1, "ffffffffff7f"},
		{1 << 42, "81808080808000"},
		{1<<49 - 1, "ffffffffffff7f"},
		{1 << 49, "8180808080808000"},
		{1<<56 - 1, "ffffffffffffff7f"},
		{1 << 56, "80c080808080808000"}, // nine bytes: 56 bits in seven-bit groups, then 8
		{1<<56 + 0xff, "80c0808080808080ff"},
		{math.MaxUint64, "ffffffffffffffffff"},
		{uint64(1) << 63, "c08080808080808000"},
		{math.MaxUint64 - 1, "fffffffffffffffffe"}, // -2 as a rowid
	}
	for _, tt := range tests {
		got := fmt.Sprintf("%x", sqliteAppendVarint(nil, tt.v))
		if got != tt.want {
			t.Errorf("varint(%#x) = %s, want %s", tt.v, got, tt.want)
		}
		if n := sqliteVarintLen(tt.v); n != len(tt.want)/2 {
			t.Errorf("varintLen(%#x) = %d, want %d", tt.v, n, len(tt.want)/2)
		}
		b := sqliteAppendVarint([]byte{0xaa}, tt.v)
		if v, n := sqliteReadVarint(append(b[1:], 0x55)); v != tt.v || n != len(tt.want)/2 {
			t.Errorf("read(varint(%#x)) = %#x, %d", tt.v, v, n)
		}
	}
	if v, n := sqliteReadVarint([]byte{0x81}); v != 0 || n != 0 {
		t.Errorf("truncated varint read as %d, %d", v, n)
	}
}

func TestSQLiteIntType(t *testing.T) {
	tests := []struct {
		v    int64
		typ  uint64
		size int
	}{
		{0, 8, 0}, {1, 9, 0}, {2, 1, 1}, {-1, 1, 1},
		{127, 1, 1}, {128, 2, 2}, {-128, 1, 1}, {-129, 2, 2},
		{32767, 2, 2}, {32768, 3, 3}, {-32768, 2, 2}, {-32769, 3, 3},
		{1<<23 - 1, 3, 3}, {1 << 23, 4, 4}, {-1 << 23, 3, 3}, {-1<<23 - 1, 4, 4},
		{1<<31 - 1, 4, 4}, {1 << 31, 5, 6}, {-1 << 31, 4, 4}, {-1<<31 - 1, 5, 6},
		{1<<47 - 1, 5, 6}, {1 << 47, 6, 8}, {-1 << 47, 5, 6}, {-1<<47 - 1, 6, 8},
		{math.MaxInt64, 6, 8}, {math.MinInt64, 6, 8},
	}
	for _, tt := range tests {
		typ, size := sqliteIntType(tt.v)
		if typ != tt.typ || size != tt.size {
			t.Errorf("intType(%d) = %d, %d; want %d, %d", tt.v, typ, size, tt.typ, tt.size)
		}
		var r Record
		r.Int(tt.v)
		if len(r.body) != tt.size {
			t.Errorf("int(%d) body % x", tt.v, r.body)
		}
		if got := sqliteTestDecodeInt(r.body); tt.size > 0 && got != tt.v {
			t.Errorf("int(%d) body decodes to %d", tt.v, got)
		}
	}
}

// sqliteTestDecodeInt reads a big-endian two's complement integer.
func sqliteTestDecodeInt(b []byte) int64 {
	var v int64
	if len(b) > 0 && b[0]&0x80 != 0 {
		v = -1
	}
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	return v
}

func TestSQLiteRecord(t *testing.T) {
	tests := []struct {
		name  string
		build func(r *Record)
		want  string // hex
	}{
		{"empty", func(r *Record) {}, "01"},
		{"null", func(r *Record) { r.Null() }, "0200"},
		{"zero and one", func(r *Record) { r.Int(0); r.Int(1) }, "030809"},
		{"small ints", func(r *Record) { r.Int(-1); r.Int(300) }, "030102ff012c"},
		{"text", func(r *Record) { r.Text("hi") }, "02116869"},
		{"empty text", func(r *Record) { r.Text("") }, "020d"},
		{"blob", func(r *Record) { r.Blob([]byte{1, 2, 3}) }, "0212010203"},
		{"real", func(r *Record) { r.Float(1.5) }, "02073ff8000000000000"},
		{"mixed", func(r *Record) { r.Null(); r.Int(7); r.Text("a"); r.Float(-2) }, "0500010f0707 61c000000000000000"},
		// A 64-byte text has serial type 141, a two-byte varint.
		{"long text type", func(r *Record) { r.Text(strings.Repeat("x", 64)) }, "03810d" + strings.Repeat("78", 64)},
		// 126 columns: the header is 127 bytes, its size still one byte.
		{"header 127", func(r *Record) {
			for range 126 {
				r.Null()
			}
		}, "7f" + strings.Repeat("00", 126)},
		// 127 columns: 127 type bytes plus a two-byte size: 129.
		{"header 129", func(r *Record) {
			for range 127 {
				r.Null()
			}
		}, "8101" + strings.Repeat("00", 127)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Record
			tt.build(&r)
			got := fmt.Sprintf("%x", r.AppendTo(nil))
			want := strings.ReplaceAll(tt.want, " ", "")
			if got != want {
				t.Errorf("record %s, want %s", got, want)
			}
			if r.Size() != len(want)/2 {
				t.Errorf("size %d, encoded %d", r.Size(), len(want)/2)
			}
		})
	}
}

func TestSQLiteNumericAffinity(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"42", int64(42)},
		{" 42\t", int64(42)},
		{"+7", int64(7)},
		{"-0", int64(0)},
		{"007", int64(7)},
		{"3.0", int64(3)},
		{"5.", int64(5)},
		{"1e3", int64(1000)},
		{"1.5", 1.5},
		{".5", 0.5},
		{"-2.5e-1", -0.25},
		{"9223372036854775807", int64(math.MaxInt64)},
		{"-9223372036854775808", int64(math.MinInt64)},
		{"9223372036854775808", 9223372036854775808.0},
		{"9007199254740993", int64(9007199254740993)},
		{"1e400", math.Inf(1)},
		{"What is a goroutine?", "What is a goroutine?"},
		{"", ""},
		{" ", " "},
		{".", "."},
		{"1e", "1e"},
		{"1e+", "1e+"},
		{"- 5", "- 5"},
		{"0x10", "0x10"},
		{"Inf", "Inf"},
		{"NaN", "NaN"},
		{"12abc", "12abc"},
		{"1 2", "1 2"},
		{"42\x00tail", int64(42)}, // SQLite reads up to the NUL
	}
	for _, tt := range tests {
		if got := sqliteNumericAffinity(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("numericAffinity(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

// TestSQLiteNumericAffinityMatchesSQLite compares the Go port with what
// SQLite stores in an integer column, on strings built to sit near the
// grammar's edges.
func TestSQLiteNumericAffinityMatchesSQLite(t *testing.T) {
	db := sqliteTestMemDB(t)
	if _, err := db.Exec("CREATE TABLE a (x integer)"); err != nil {
		t.Fatal(err)
	}
	inputs := []string{"3500000000000000.2500001", "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
		"1.7976931348623159e308", "99999999999999999999e-5", "18446744073709551615", "1844674407370955161",
		"1844674407370955160.5", "123456789012345678901234567890.5", "1\v", "\f1", "1\x00", "\x00"}
	r := rand.New(rand.NewPCG(1, 2))
	const alpha = "0123456789.eE+- \t"
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		b := make([]byte, r.IntN(30))
		for j := range b {
			if r.IntN(3) == 0 {
				b[j] = byte('0' + r.IntN(10))
			} else {
				b[j] = alpha[r.IntN(len(alpha))]
			}
		}
		inputs = append(inputs, string(b))
	}
	for _, s := range inputs {
		checkAffinityAgainstSQLite(t, db, s)
	}
}

func checkAffinityAgainstSQLite(t *testing.T, db *sql.DB, s string) {
	t.Helper()
	var typ string
	var v any
	if err := db.QueryRow("INSERT INTO a VALUES (?) RETURNING typeof(x), x", s).Scan(&typ, &v); err != nil {
		t.Fatal(err)
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	got := sqliteNumericAffinity(s)
	gotTyp := map[reflect.Kind]string{reflect.Int64: "integer", reflect.Float64: "real", reflect.String: "text"}[reflect.TypeOf(got).Kind()]
	if gotTyp != typ || !reflect.DeepEqual(got, v) {
		t.Errorf("%q: SQLite stores %s %#v, we %s %#v", s, typ, v, gotTyp, got)
	}
}

func sqliteTestMemDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSQLiteLocalSize(t *testing.T) {
	w := &File{pageSize: 4096}
	// U = 4096: table leaves keep up to X = 4061 bytes; indexes up to
	// X = 1002; both keep at least M = 489.
	const x, xi, m, u4 = 4061, 1002, 489, 4092
	tests := []struct {
		p     int
		index bool
		want  int
	}{
		{0, false, 0}, {x, false, x}, {x + 1, false, m}, // K = x+1 > X: only M stays
		{m + u4, false, m}, {m + u4 + 1, false, m + 1}, {m + 2*u4 + x - m, false, x}, {m + 2*u4 + x - m + 1, false, m},
		{xi, true, xi}, {xi + 1, true, m}, {m + u4 + xi - m, true, xi}, {m + u4 + xi - m + 1, true, m},
	}
	for _, tt := range tests {
		if got := w.localSize(tt.p, tt.index); got != tt.want {
			t.Errorf("localSize(%d, index %v) = %d, want %d", tt.p, tt.index, got, tt.want)
		}
	}
}

// sqliteVal is a value in a test row: nil, int64, float64, string or []byte.
type sqliteVal = any

func sqliteTestPut(r *Record, v sqliteVal) {
	switch v := v.(type) {
	case nil:
		r.Null()
	case int64:
		r.Int(v)
	case float64:
		r.Float(v)
	case string:
		r.Text(v)
	case []byte:
		r.Blob(v)
	default:
		panic(fmt.Sprintf("value %T", v))
	}
}

// sqliteTestCompare orders values as SQLite does with the BINARY
// collation: NULL, then numbers by value, then text, then blobs, both
// byte by byte.
func sqliteTestCompare(a, b sqliteVal) int {
	class := func(v sqliteVal) int {
		switch v.(type) {
		case nil:
			return 0
		case int64, float64:
			return 1
		case string:
			return 2
		}
		return 3
	}
	if c := cmp.Compare(class(a), class(b)); c != 0 {
		return c
	}
	switch a := a.(type) {
	case nil:
		return 0
	case int64:
		switch b := b.(type) {
		case int64:
			return cmp.Compare(a, b)
		case float64:
			return sqliteTestIntFloat(a, b)
		}
	case float64:
		switch b := b.(type) {
		case int64:
			return -sqliteTestIntFloat(b, a)
		case float64:
			return cmp.Compare(a, b)
		}
	case string:
		return strings.Compare(a, b.(string))
	case []byte:
		return bytes.Compare(a, b.([]byte))
	}
	panic("unreachable")
}

// sqliteTestIntFloat is sqlite3IntFloatCompare without long double.
func sqliteTestIntFloat(i int64, r float64) int {
	if r < -9223372036854775808.0 {
		return 1
	}
	if r >= 9223372036854775808.0 {
		return -1
	}
	if c := cmp.Compare(i, int64(r)); c != 0 {
		return c
	}
	return cmp.Compare(float64(i), r)
}

// sqliteTestRow is a row of the test table t (rowid, a, b, c).
type sqliteTestRow struct {
	rowid   int64
	a, b, c sqliteVal
}

// sqliteTestDB is a database built by the writer from rows of
//
//	CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c)
//	CREATE INDEX t_a ON t (a)
//	CREATE INDEX t_bc ON t (b, c)
//	CREATE TABLE u (x)  -- no rowid alias, no rows unless given
//
// plus the empty table e and index e_x.
type sqliteTestDB struct {
	rows  []sqliteTestRow
	extra int // tables z0, z1, ... with long CREATE statements, to push sqlite_schema past page 1
}

const sqliteTestSchema = `CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c);
CREATE TABLE e (x integer, y text);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_bc ON t (b, c);
CREATE INDEX e_x ON e (x);
`

func (d sqliteTestDB) write(t testing.TB, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewOn(f)
	rows := slices.Clone(d.rows)
	slices.SortFunc(rows, func(x, y sqliteTestRow) int { return cmp.Compare(x.rowid, y.rowid) })
	tab, ixA, ixBC, empty, emptyIx := NewTable(w), NewIndex(w), NewIndex(w), NewTable(w), NewIndex(w)
	var rec Record
	var buf []byte
	for _, r := range rows {
		rec.Reset()
		rec.Null()
		sqliteTestPut(&rec, r.a)
		sqliteTestPut(&rec, r.b)
		sqliteTestPut(&rec, r.c)
		buf = rec.AppendTo(buf[:0])
		if err := tab.Insert(r.rowid, buf); err != nil {
			t.Fatal(err)
		}
	}
	index := func(ix *Tree, cols func(sqliteTestRow) []sqliteVal) {
		keys := make([][]sqliteVal, len(rows))
		for i, r := range rows {
			keys[i] = append(cols(r), r.rowid)
		}
		slices.SortFunc(keys, func(x, y []sqliteVal) int {
			for i := range x {
				if c := sqliteTestCompare(x[i], y[i]); c != 0 {
					return c
				}
			}
			return 0
		})
		for _, k := range keys {
			rec.Reset()
			for _, v := range k {
				sqliteTestPut(&rec, v)
			}
			buf = rec.AppendTo(buf[:0])
			if err := ix.Add(buf); err != nil {
				t.Fatal(err)
			}
		}
	}
	index(ixA, func(r sqliteTestRow) []sqliteVal { return []sqliteVal{r.a} })
	index(ixBC, func(r sqliteTestRow) []sqliteVal { return []sqliteVal{r.b, r.c} })
	roots := map[string]uint32{}
	for name, tr := range map[string]*Tree{"t": tab, "t_a": ixA, "t_bc": ixBC, "e": empty, "e_x": emptyIx} {
		if roots[name], err = tr.Finish(); err != nil {
			t.Fatal(err)
		}
	}
	script := sqliteTestSchema
	for i := range d.extra {
		name := "z" + strconv.Itoa(i)
		script += "CREATE TABLE " + name + " (" + strings.Repeat("a_rather_long_column_name integer NOT NULL, ", 1) +
			"another_long_column_name_" + strconv.Itoa(i) + " text NOT NULL);\n"
		if roots[name], err = NewTable(w).Finish(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.CreateSchema(script, roots); err != nil {
		t.Fatal(err)
	}
	if err := w.CloseOn(f); err != nil {
		t.Fatal(err)
	}
}

// check opens the file with SQLite (modernc), runs its integrity checks,
// and reads every row back, through the table and through each index.
func (d sqliteTestDB) check(t testing.TB, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path, RawQuery: "mode=ro&immutable=1"}).String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"PRAGMA integrity_check", "PRAGMA quick_check"} {
		var res []string
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			res = append(res, s)
		}
		rows.Close()
		if len(res) != 1 || res[0] != "ok" {
			t.Fatalf("%s:\n%s", q, strings.Join(res[:min(len(res), 20)], "\n"))
		}
	}

	want := slices.Clone(d.rows)
	slices.SortFunc(want, func(x, y sqliteTestRow) int { return cmp.Compare(x.rowid, y.rowid) })
	got := sqliteTestQuery(t, db, "SELECT id, a, b, c FROM t ORDER BY id", 4)
	if len(got) != len(want) {
		t.Fatalf("%d rows read, %d written", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if !sqliteTestEqual(g, []sqliteVal{w.rowid, w.a, w.b, w.c}) {
			t.Fatalf("row %d: read %s, wrote %s", i, sqliteTestShow(g), sqliteTestShow([]sqliteVal{w.rowid, w.a, w.b, w.c}))
		}
	}

	// Each index read in its order gives the rows sorted by its columns.
	for _, ix := range []struct {
		name, query string
		ncol        int
		cols        func(sqliteTestRow) []sqliteVal
	}{
		{"t_a", "SELECT a, id FROM t INDEXED BY t_a ORDER BY a, id", 2, func(r sqliteTestRow) []sqliteVal { return []sqliteVal{r.a, r.rowid} }},
		{"t_bc", "SELECT b, c, id FROM t INDEXED BY t_bc ORDER BY b, c, id", 3, func(r sqliteTestRow) []sqliteVal { return []sqliteVal{r.b, r.c, r.rowid} }},
	} {
		keys := make([][]sqliteVal, len(want))
		for i, r := range want {
			keys[i] = ix.cols(r)
		}
		slices.SortFunc(keys, func(x, y []sqliteVal) int {
			for i := range x {
				if c := sqliteTestCompare(x[i], y[i]); c != 0 {
					return c
				}
			}
			return 0
		})
		got := sqliteTestQuery(t, db, ix.query, ix.ncol)
		if len(got) != len(keys) {
			t.Fatalf("%s: %d entries, want %d", ix.name, len(got), len(keys))
		}
		for i := range got {
			if !sqliteTestEqual(got[i], keys[i]) {
				t.Fatalf("%s entry %d: %s, want %s", ix.name, i, sqliteTestShow(got[i]), sqliteTestShow(keys[i]))
			}
		}
	}
	// Point lookups through the index: a few values, each present or not.
	for i := 0; i < len(want); i += max(1, len(want)/50) {
		r := want[i]
		if r.a == nil {
			continue
		}
		var wantIDs []int64
		for _, x := range want {
			if x.a != nil && sqliteTestCompare(x.a, r.a) == 0 {
				wantIDs = append(wantIDs, x.rowid)
			}
		}
		var gotIDs []int64
		rows, err := db.Query("SELECT id FROM t INDEXED BY t_a WHERE a = ? ORDER BY id", sqliteTestArg(r.a))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			gotIDs = append(gotIDs, id)
		}
		rows.Close()
		if !slices.Equal(gotIDs, wantIDs) {
			t.Fatalf("a = %s: ids %v, want %v", sqliteTestShow([]sqliteVal{r.a}), gotIDs, wantIDs)
		}
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM e INDEXED BY e_x WHERE x > 0").Scan(&n); err != nil || n != 0 {
		t.Fatalf("empty table e: %d rows, %v", n, err)
	}
	if d.extra > 0 {
		var tables int
		if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name GLOB 'z*'").Scan(&tables); err != nil || tables != d.extra {
			t.Fatalf("%d extra tables, want %d (%v)", tables, d.extra, err)
		}
	}
}

// sqliteTestArg passes a value to database/sql with its SQLite type.
func sqliteTestArg(v sqliteVal) any {
	if b, ok := v.([]byte); ok && b == nil {
		return []byte{}
	}
	return v
}

func sqliteTestQuery(t testing.TB, db *sql.DB, q string, ncol int) [][]sqliteVal {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out [][]sqliteVal
	for rows.Next() {
		vals := make([]sqliteVal, ncol)
		ptrs := make([]any, ncol)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func sqliteTestEqual(got, want []sqliteVal) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if wb, ok := w.([]byte); ok {
			gb, ok := g.([]byte)
			if !ok || !bytes.Equal(gb, wb) {
				return false
			}
			continue
		}
		if !reflect.DeepEqual(g, w) {
			return false
		}
	}
	return true
}

func sqliteTestShow(vals []sqliteVal) string {
	var parts []string
	for _, v := range vals {
		s := fmt.Sprintf("%T(%v)", v, v)
		if len(s) > 60 {
			s = s[:40] + fmt.Sprintf("…[%d]", len(s))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// sqliteTestText is a text of n bytes that differs with seed.
func sqliteTestText(seed, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(strconv.Itoa(seed))
		b.WriteByte(' ')
		seed = seed*1103515245 + 12345
	}
	return b.String()[:n]
}

// sqliteTestPayload is a text a whose row of t, (NULL, a, NULL, NULL),
// has a record of exactly p bytes.
func sqliteTestPayload(t testing.TB, p int) string {
	for n := p; n >= 0; n-- {
		var r Record
		r.Null()
		r.Text(strings.Repeat("x", n))
		r.Null()
		r.Null()
		if r.Size() == p {
			return strings.Repeat("x", n)
		}
	}
	t.Fatalf("no text makes a %d-byte record", p)
	return ""
}

// sqliteTestIndexPayload is a text a whose t_a entry (a, rowid) has a
// record of exactly p bytes.
func sqliteTestIndexPayload(t testing.TB, p int, rowid int64) string {
	for n := p; n >= 0; n-- {
		var r Record
		r.Text(strings.Repeat("y", n))
		r.Int(rowid)
		if r.Size() == p {
			return strings.Repeat("y", n)
		}
	}
	t.Fatalf("no text makes a %d-byte index record", p)
	return ""
}

func TestSQLiteFile(t *testing.T) {
	const x, m, u4 = 4061, 489, 4092 // table leaf limits at 4096-byte pages
	var around []sqliteTestRow
	for i, p := range []int{x - 1, x, x + 1, m + u4, m + u4 + 1, m + u4 - 1, 3*u4 + 100, 7 * u4, 20000, 250000, 4 * 1002} {
		s := sqliteTestPayload(t, p)
		around = append(around, sqliteTestRow{rowid: int64(i + 1), a: s})
	}
	// t_a entries (a, rowid) at the index limits: X = 1002, M = 489.
	const xi = 1002
	var aroundIndex []sqliteTestRow
	for i, p := range []int{xi - 1, xi, xi + 1, m + u4 - 1, m + u4, u4 + xi, u4 + xi + 1, 3*u4 + 7} {
		rowid := int64(1000 + i)
		aroundIndex = append(aroundIndex, sqliteTestRow{rowid: rowid, a: sqliteTestIndexPayload(t, p, rowid)})
	}
	many := func(n, size int) []sqliteTestRow {
		rows := make([]sqliteTestRow, n)
		for i := range rows {
			rows[i] = sqliteTestRow{rowid: int64(i)*3 - int64(n), a: int64(i % 97), b: sqliteTestText(i%31, size), c: float64(i) / 4}
		}
		return rows
	}
	mixed := []sqliteTestRow{
		{rowid: math.MinInt64, a: nil, b: []byte{}, c: ""},
		{rowid: -1, a: int64(1), b: 1.0, c: []byte{0}},
		{rowid: 0, a: 1.5, b: int64(math.MaxInt64), c: "\x00"},
		{rowid: 1, a: "1", b: math.Inf(-1), c: int64(math.MinInt64)},
		{rowid: 2, a: []byte("1"), b: "", c: nil},
		{rowid: 1 << 40, a: int64(-5), b: "é", c: 9007199254740993.0},
		{rowid: math.MaxInt64, a: float64(9007199254740993), b: int64(9007199254740993), c: 0.0},
	}
	tests := []struct {
		name string
		db   sqliteTestDB
	}{
		{"empty", sqliteTestDB{}},
		{"one row", sqliteTestDB{rows: []sqliteTestRow{{rowid: 1, a: "a", b: int64(2), c: 3.5}}}},
		{"mixed types and rowids", sqliteTestDB{rows: mixed}},
		{"payloads around the local limit", sqliteTestDB{rows: around}},
		{"index payloads around the local limit", sqliteTestDB{rows: aroundIndex}},
		{"many small rows", sqliteTestDB{rows: many(60000, 8)}},
		{"deep index", sqliteTestDB{rows: many(6000, 700)}},     // index cells near the 1002-byte limit: few per page, four levels
		{"index overflow", sqliteTestDB{rows: many(400, 3000)}}, // every t_bc entry overflows, in leaves and interior pages
		{"schema past page 1", sqliteTestDB{rows: many(10, 8), extra: 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			tt.db.write(t, path)
			tt.db.check(t, path)
			sqlite3IntegrityCheck(t, path)
		})
	}
}

// TestSQLiteFileEdges builds indexes and tables of every size up to a few
// pages per level, so that the input ends at every point of a page: just
// after a page filled, with a divider waiting, at each level.
func TestSQLiteFileEdges(t *testing.T) {
	sizes := []int{0}
	for n := 1; n < 120; n++ {
		sizes = append(sizes, n)
	}
	if !testing.Short() {
		for n := 120; n < 1500; n += 7 {
			sizes = append(sizes, n)
		}
	}
	dir := t.TempDir()
	for _, n := range sizes {
		rows := make([]sqliteTestRow, n)
		for i := range rows {
			// a: ~950 bytes, so four entries fill an index page; b, c small.
			rows[i] = sqliteTestRow{rowid: int64(i) << 40, a: sqliteTestText(i, 950), b: int64(i % 5), c: int64(i)}
		}
		db := sqliteTestDB{rows: rows}
		path := filepath.Join(dir, strconv.Itoa(n)+".db")
		db.write(t, path)
		db.check(t, path)
	}
}

// sqlite3IntegrityCheck runs the sqlite3 command-line tool's integrity
// check too, when the tool is installed: a second, independent build of
// SQLite.
func sqlite3IntegrityCheck(t *testing.T, path string) {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Log("sqlite3 is not on PATH; skipping its integrity check")
		return
	}
	out, err := exec.Command(bin, path, "PRAGMA integrity_check").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("sqlite3 integrity_check: %v: %.500s", err, out)
	}
}

// TestSQLiteLockPage checks that the page holding SQLite's lock bytes is
// skipped and left zero, as SQLite requires, without writing a 1 GiB file:
// the writer is told the lock page is page 5.
func TestSQLiteLockPage(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewOn(f)
	w.lockPage = 5
	page := bytes.Repeat([]byte{0xee}, w.pageSize)
	var got []uint32
	for range 3 {
		pgno, err := w.appendPage(page)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, pgno)
	}
	// An overflow chain across the lock page links around it.
	first, err := w.overflow(bytes.Repeat([]byte{0xdd}, 3*(w.pageSize-4)))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []uint32{2, 3, 4}) || first != 6 {
		t.Fatalf("pages %v, overflow from %d", got, first)
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	pageAt := func(n int) []byte { return data[(n-1)*w.pageSize : n*w.pageSize] }
	if len(data) != 8*w.pageSize || !bytes.Equal(pageAt(5), make([]byte, w.pageSize)) {
		t.Fatalf("file of %d pages; lock page not zero", len(data)/w.pageSize)
	}
	for n, next := range map[int]uint32{6: 7, 7: 8, 8: 0} {
		if v := uint32(pageAt(n)[0])<<24 | uint32(pageAt(n)[1])<<16 | uint32(pageAt(n)[2])<<8 | uint32(pageAt(n)[3]); v != next {
			t.Errorf("overflow page %d links to %d, want %d", n, v, next)
		}
	}
}

// TestSQLiteTableOrder: rows out of rowid order are refused.
func TestSQLiteTableOrder(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewOn(f)
	tab := NewTable(w)
	if err := tab.Insert(5, []byte{2, 0}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{5, 4} {
		if err := tab.Insert(id, []byte{2, 0}); err == nil {
			t.Errorf("rowid %d after 5 accepted", id)
		}
	}
}

// FuzzSQLiteFile builds a database from rows decoded from the input
// (integers, reals, texts and blobs of any size, some spilling to overflow
// pages) and checks that SQLite finds it intact and reads the rows back,
// through the table and its indexes.
func FuzzSQLiteFile(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x02\x03\x04hello world"))
	f.Add(bytes.Repeat([]byte{0x13, 0x37, 0xfe, 0x00, 0x42}, 60))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows := sqliteFuzzRows(data)
		path := filepath.Join(t.TempDir(), "f.db")
		db := sqliteTestDB{rows: rows}
		db.write(t, path)
		db.check(t, path)
	})
}

// sqliteFuzzRows decodes test rows: each value takes a kind byte and,
// for sized kinds, a size; contents are taken from the input cyclically
// so a short input can still make a long text.
func sqliteFuzzRows(data []byte) []sqliteTestRow {
	pos := 0
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[pos%len(data)]
		pos++
		return b
	}
	value := func() sqliteVal {
		k := next()
		switch k % 6 {
		case 0:
			return nil
		case 1:
			v := int64(0)
			for range int(k/6) % 9 {
				v = v<<8 | int64(next())
			}
			if k&0x80 != 0 {
				v = -v
			}
			return v
		case 2:
			var u uint64
			for range 8 {
				u = u<<8 | uint64(next())
			}
			if v := math.Float64frombits(u); !math.IsNaN(v) {
				return v
			}
			return 0.5
		case 3, 4:
			n := int(next()) | int(next()&0x3f)<<8 // up to 16 KiB
			if k&0x40 == 0 {
				n %= 64
			}
			b := make([]byte, n)
			for i := range b {
				b[i] = next()
			}
			if k%6 == 3 {
				return string(b)
			}
			return b
		}
		return int64(k)
	}
	var rows []sqliteTestRow
	id := int64(-3)
	for i := 0; i < 200 && pos < len(data); i++ {
		id += int64(next()%4) + 1
		rows = append(rows, sqliteTestRow{rowid: id, a: value(), b: value(), c: value()})
	}
	return rows
}

// TestSQLiteFilePastLockPage writes a database larger than 1 GiB, so that
// the page holding SQLite's lock bytes falls in the middle of a table and
// an overflow chain, and has the sqlite3 tool check it. It takes a while
// and 1.2 GB of disk, so it runs only when SRS_LONG_TESTS is set.
func TestSQLiteFilePastLockPage(t *testing.T) {
	if os.Getenv("SRS_LONG_TESTS") == "" {
		t.Skip("set SRS_LONG_TESTS=1 to write a 1.2 GB database past SQLite's lock page")
	}
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not on PATH")
	}
	path := filepath.Join(t.TempDir(), "big.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewOn(f)
	tab, ix := NewTable(w), NewIndex(w)
	var rec Record
	var buf []byte
	const rows, keys = 100000, 1000
	for i := range int64(rows) {
		rec.Reset()
		rec.Null()
		rec.Text(sqliteTestText(int(i), 12000)) // three overflow pages each
		rec.Int(i % keys)
		buf = rec.AppendTo(buf[:0])
		if err := tab.Insert(i+1, buf); err != nil {
			t.Fatal(err)
		}
	}
	for k := range int64(keys) {
		for i := k; i < rows; i += keys {
			rec.Reset()
			rec.Int(k)
			rec.Int(i + 1)
			buf = rec.AppendTo(buf[:0])
			if err := ix.Add(buf); err != nil {
				t.Fatal(err)
			}
		}
	}
	roots := map[string]uint32{}
	if roots["t"], err = tab.Finish(); err != nil {
		t.Fatal(err)
	}
	if roots["t_k"], err = ix.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := w.CreateSchema("CREATE TABLE t (id INTEGER PRIMARY KEY, s text, k integer); CREATE INDEX t_k ON t (k)", roots); err != nil {
		t.Fatal(err)
	}
	if err := w.CloseOn(f); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.Stat(); st.Size() <= sqlitePendingByte {
		t.Fatalf("only %d bytes: not past the lock page", st.Size())
	}
	out, err := exec.Command(bin, path, "PRAGMA integrity_check; SELECT count(*), sum(length(s)) FROM t; SELECT count(*) FROM t INDEXED BY t_k WHERE k = 7;").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok\n"+strconv.Itoa(rows)+"|"+strconv.Itoa(rows*12000)+"\n"+strconv.Itoa(rows/keys) {
		t.Fatalf("sqlite3: %v: %s", err, out)
	}
}
