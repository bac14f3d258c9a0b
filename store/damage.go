package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged marks a database file whose structure is broken (a page
// overwritten, the file cut short): no command can trust what it reads.
var ErrDamaged = errors.New("damaged")

// damaged is the error for a damaged file: what is wrong, and what to do.
func damaged(path, what string) error { return &damageError{path: path, what: clip(what)} }

// clip shortens a message that quotes damaged data: a key whose length
// was damaged can run to megabytes, and an error is one line a person
// reads. The end is kept, where the cause and the advice are.
func clip(s string) string {
	const head, tail = 240, 160
	if len(s) <= head+tail+40 {
		return s
	}
	return strings.ToValidUTF8(s[:head], "") + fmt.Sprintf(" …(%d bytes left out)… ", len(s)-head-tail) + strings.ToValidUTF8(s[len(s)-tail:], "")
}

// clipped is an error whose message is clipped, still wrapping it.
type clipped struct{ error }

func (c clipped) Error() string { return clip(c.error.Error()) }
func (c clipped) Unwrap() error { return c.error }

// unopenable is damaged for a file too damaged to open at all, which
// doctor cannot look into either.
func unopenable(path, what string) error { return &damageError{path: path, what: what, atOpen: true} }

type damageError struct {
	path, what string
	atOpen     bool
}

func (e *damageError) Error() string {
	if e.atOpen {
		return fmt.Sprintf("database %s is damaged (%s); `srs restore FILE` puts a backup back", e.path, e.what)
	}
	return fmt.Sprintf("database %s is damaged (%s); `srs doctor` reports the damage, `srs restore FILE` puts a backup back", e.path, e.what)
}

func (e *damageError) Is(target error) bool { return target == ErrDamaged }

// db is the bbolt database with the store's guard around every
// transaction. bbolt trusts the file it maps: on a damaged page it panics
// (a zeroed page is of no known type, a count runs past its page) or
// faults reading past the end of the file. The guard turns both into
// ErrDamaged naming the file, so that a damaged database is one line of
// error in every command, not a stack trace or a SIGBUS; a record that
// does not decode gets the file's name and the same advice.
type db struct {
	*bolt.DB
	path string
	file *os.File // the file bbolt has open, for verify
}

// View runs a read transaction under the guard.
func (d *db) View(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer d.guard(&err)
	return d.DB.View(fn)
}

// Update runs a write transaction under the guard. bbolt rolls back a
// transaction whose function panics, so nothing damaged is committed.
func (d *db) Update(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer d.guard(&err)
	return d.DB.Update(fn)
}

// guard recovers a panic inside bbolt and looks at the file to say what
// is wrong with it.
func (d *db) guard(err *error) {
	r := recover()
	if r == nil {
		if errors.Is(*err, ErrBadRecord) && !errors.Is(*err, ErrDamaged) {
			*err = clipped{fmt.Errorf("database %s: %w; `srs doctor` checks the whole file", d.path, *err)}
		}
		return
	}
	what := fmt.Sprint(r)
	if problems := d.verify(1); len(problems) > 0 {
		what = problems[0]
	}
	*err = damaged(d.path, what)
}

// verify walks the file's pages (verify.go) and returns up to max
// problems; a walk that itself fails is one.
func (d *db) verify(max int) []string {
	problems, err := verifyFile(d.file, max)
	if err != nil {
		problems = append(problems, err.Error())
	}
	return problems
}

// openGuarded is bolt.Open under the same guard: bbolt reads the meta
// and freelist pages as it opens.
func openGuarded(path string, o *bolt.Options) (b *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if b != nil {
				b.Close()
			}
			b, err = nil, unopenable(path, fmt.Sprint(r))
		}
	}()
	return bolt.Open(path, 0o600, o)
}
