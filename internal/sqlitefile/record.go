// Package sqlitefile writes SQLite database files directly, page by page
// (https://www.sqlite.org/fileformat2.html), for the .apkg writer's
// collection.anki2. Going through the pure-Go SQLite driver
// (modernc.org/sqlite), even with no journal or syncs, one transaction,
// rows in key order and indexes built last, made a 100k-card export take
// over twice as long (bench/RESULTS.md), and a cgo SQLite would break
// `go install` on machines without a C compiler. A collection is
// built once, front to back, from rows already held in key order, so a
// writer of the file format needs none of a B-tree's updates: no
// balancing, no free list, no journal. Reading packages still goes
// through modernc.
//
// File lays out the pages and sqlite_schema, Tree builds one table or
// index bottom-up from rows in key order, and Record encodes a row.
package sqlitefile

import (
	"encoding/binary"
	"math"
	"strconv"
)

// sqliteAppendVarint appends v as an SQLite varint: big-endian groups of
// seven bits with the high bit set on all but the last byte, except that a
// ninth byte, when needed, carries a full eight bits.
func sqliteAppendVarint(b []byte, v uint64) []byte {
	if v <= 0x7f {
		return append(b, byte(v))
	}
	if v <= 0x3fff {
		return append(b, byte(v>>7)|0x80, byte(v)&0x7f)
	}
	var buf [9]byte
	if v > 1<<56-1 {
		buf[8] = byte(v)
		v >>= 8
		for i := 7; i >= 0; i-- {
			buf[i] = byte(v) | 0x80
			v >>= 7
		}
		return append(b, buf[:]...)
	}
	n := sqliteVarintLen(v)
	for i := n - 1; i >= 0; i-- {
		buf[i] = byte(v&0x7f) | 0x80
		v >>= 7
	}
	buf[n-1] &= 0x7f
	return append(b, buf[:n]...)
}

// sqliteVarintLen is the length of v's varint encoding.
func sqliteVarintLen(v uint64) int {
	if v > 1<<56-1 {
		return 9
	}
	n := 1
	for v > 0x7f {
		v >>= 7
		n++
	}
	return n
}

// sqliteReadVarint decodes the varint at the start of b and returns it
// with its length, or 0, 0 if b ends first.
func sqliteReadVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9; i++ {
		if i == len(b) {
			return 0, 0
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	panic("unreachable")
}

// sqliteIntType is the serial type of integer v in a record of a schema-4
// database and the size of its body: the constants 8 and 9 for 0 and 1
// (no body), otherwise the smallest of the 1, 2, 3, 4, 6 and 8-byte
// big-endian two's complement forms that holds v.
func sqliteIntType(v int64) (typ uint64, size int) {
	switch {
	case v == 0:
		return 8, 0
	case v == 1:
		return 9, 0
	}
	u := v
	if u < 0 {
		u = ^u
	}
	switch {
	case u <= 0x7f:
		return 1, 1
	case u <= 0x7fff:
		return 2, 2
	case u <= 0x7fffff:
		return 3, 3
	case u <= 0x7fffffff:
		return 4, 4
	case u <= 0x7fffffffffff:
		return 5, 6
	}
	return 6, 8
}

// Record builds one record: the serial types of its columns and
// their bodies, joined by bytes. The zero value is an empty record;
// reset reuses its buffers for the next.
type Record struct {
	types []byte
	body  []byte
}

func (r *Record) Reset() {
	r.types = r.types[:0]
	r.body = r.body[:0]
}

func (r *Record) Null() { r.types = append(r.types, 0) }

func (r *Record) Int(v int64) {
	typ, size := sqliteIntType(v)
	r.types = append(r.types, byte(typ))
	for i := size - 1; i >= 0; i-- {
		r.body = append(r.body, byte(v>>(8*i)))
	}
}

func (r *Record) Float(v float64) {
	r.types = append(r.types, 7)
	r.body = binary.BigEndian.AppendUint64(r.body, math.Float64bits(v))
}

func (r *Record) Text(s string) {
	r.types = sqliteAppendVarint(r.types, uint64(len(s))*2+13)
	r.body = append(r.body, s...)
}

func (r *Record) Blob(b []byte) {
	r.types = sqliteAppendVarint(r.types, uint64(len(b))*2+12)
	r.body = append(r.body, b...)
}

// Numeric stores s in a column of INTEGER (or NUMERIC) affinity as SQLite
// would: as an integer or a real if it reads as one, else as text.
// notes.sfld is such a column, and PRAGMA integrity_check reports text
// there that SQLite would have converted.
func (r *Record) Numeric(s string) {
	switch v := sqliteNumericAffinity(s).(type) {
	case int64:
		r.Int(v)
	case float64:
		r.Float(v)
	default:
		r.Text(s)
	}
}

// headerLen is the length of the record header, which counts itself.
func (r *Record) headerLen() int {
	n := len(r.types)
	for k := 1; ; k++ {
		if sqliteVarintLen(uint64(n+k)) == k {
			return n + k
		}
	}
}

// Size is the length of the encoded record.
func (r *Record) Size() int { return r.headerLen() + len(r.body) }

// AppendTo appends the encoded record to b.
func (r *Record) AppendTo(b []byte) []byte {
	b = sqliteAppendVarint(b, uint64(r.headerLen()))
	b = append(b, r.types...)
	return append(b, r.body...)
}

// sqliteNumericAffinity is what SQLite stores when text s goes into a
// column of INTEGER or NUMERIC affinity (applyAffinity and
// applyNumericAffinity in vdbe.c): an int64 if s is a well-formed number
// with an exact integer value, a float64 if it is another well-formed
// number, and s itself otherwise. "Well-formed" is sqlite3AtoF's grammar:
// optional surrounding whitespace, a sign, decimal digits with an optional
// point, an optional exponent; no hexadecimal, no Inf or NaN words.
func sqliteNumericAffinity(s string) any {
	// sqlite3AtoF reads the text as a C string, up to a NUL.
	z := s
	for i := 0; i < len(z); i++ {
		if z[i] == 0 {
			z = z[:i]
			break
		}
	}
	f, ok, intForm := sqliteAtoF(z)
	if !ok {
		return s
	}
	if intForm {
		// alsoAnInt: integer literals keep their exact value when in range.
		if i := sqliteRealToInt(f); f == 0 || (f == float64(i) && i >= -1<<51 && i < 1<<51) {
			return i
		}
		if i, ok := sqliteAtoi64(s); ok {
			return i
		}
	}
	// sqlite3VdbeIntegerAffinity: a real with an integer value in range
	// (but not the extremes) is stored as that integer.
	if i := sqliteRealToInt(f); f == float64(i) && i > math.MinInt64 && i < math.MaxInt64 {
		return i
	}
	return f
}

// sqliteSpace is sqlite3Isspace: the C locale's white space.
func sqliteSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

func sqliteDigit(c byte) bool { return c >= '0' && c <= '9' }

// sqliteAtoF follows sqlite3AtoF (util.c): the value of s if all of it
// (but surrounding white space) is a number, and whether it was written as
// an integer (no point, no exponent). Like SQLite it keeps at most the
// first 19 or so significant digits in a uint64 mantissa s and a decimal
// exponent d, then rounds s×10^d to the nearest double.
func sqliteAtoF(z string) (f float64, ok, intForm bool) {
	const limit = (math.MaxUint64 - 9) / 10
	i := 0
	for i < len(z) && sqliteSpace(z[i]) {
		i++
	}
	neg := false
	if i < len(z) && (z[i] == '-' || z[i] == '+') {
		neg = z[i] == '-'
		i++
	}
	var s uint64
	d := 0
	digits, point := false, false
	for i < len(z) && sqliteDigit(z[i]) {
		digits = true
		s = s*10 + uint64(z[i]-'0')
		i++
		if s >= limit {
			for i < len(z) && sqliteDigit(z[i]) {
				i++
				d++
			}
			break
		}
	}
	if i < len(z) && z[i] == '.' {
		i++
		for ; i < len(z) && sqliteDigit(z[i]); i++ {
			digits = true
			if s < limit {
				s = s*10 + uint64(z[i]-'0')
				d--
			}
		}
		point = true
	}
	if !digits {
		return 0, false, false
	}
	if i < len(z) && (z[i] == 'e' || z[i] == 'E') {
		j := i + 1
		esign := 1
		if j < len(z) && (z[j] == '-' || z[j] == '+') {
			if z[j] == '-' {
				esign = -1
			}
			j++
		}
		if j < len(z) && sqliteDigit(z[j]) {
			exp := 0
			for ; j < len(z) && sqliteDigit(z[j]); j++ {
				if exp < 10000 {
					exp = exp*10 + int(z[j]-'0')
				} else {
					exp = 10000
				}
			}
			d += esign * exp
			point = true
			i = j
		}
		// Otherwise the 'e' is trailing text and the number is not well-formed.
	}
	for i < len(z) && sqliteSpace(z[i]) {
		i++
	}
	if i != len(z) {
		return 0, false, false
	}
	if s != 0 {
		f, _ = strconv.ParseFloat(strconv.FormatUint(s, 10)+"e"+strconv.Itoa(d), 64) // ±Inf or 0 past the range, as SQLite
	}
	if neg {
		f = -f
	}
	return f, true, !point
}

// sqliteRealToInt is sqlite3RealToI64: f truncated, clamped to int64.
func sqliteRealToInt(f float64) int64 {
	switch {
	case f < -9.223372036854775e18:
		return math.MinInt64
	case f > 9.223372036854775e18:
		return math.MaxInt64
	case f != f:
		return 0
	}
	return int64(f)
}

// sqliteAtoi64 is sqlite3Atoi64 for UTF-8 text: s as an int64 if it is an
// integer literal in range, with optional surrounding white space.
func sqliteAtoi64(s string) (int64, bool) {
	i := 0
	for i < len(s) && sqliteSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	for i < len(s) && s[i] == '0' {
		i++
	}
	start := i
	var u uint64
	for i < len(s) && sqliteDigit(s[i]) {
		if i-start >= 19 {
			return 0, false
		}
		u = u*10 + uint64(s[i]-'0')
		i++
	}
	if i == start && (start == 0 || s[start-1] != '0') {
		return 0, false
	}
	for j := i; j < len(s); j++ {
		if !sqliteSpace(s[j]) {
			return 0, false
		}
	}
	switch {
	case neg && u <= 1<<63:
		return int64(-u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}
