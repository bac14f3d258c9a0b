package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/srs-tool/srs/content"
	"github.com/srs-tool/srs/store"
)

// IO is a command's standard streams, injected so commands run under tests
// without a terminal.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// InTTY and OutTTY say whether In and Out are terminals; review goes
	// full-screen only when both are.
	InTTY, OutTTY, ErrTTY bool
	InFile                *os.File // In as a file, for the full-screen UI
}

func defaultIO() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY: term.IsTerminal(os.Stdin.Fd()), OutTTY: term.IsTerminal(os.Stdout.Fd()), ErrTTY: term.IsTerminal(os.Stderr.Fd()),
		InFile: os.Stdin}
}

// Env is what every command shares: where the database is, who the user
// is, what time it is.
type Env struct {
	IO     *IO
	DBPath string
	User   string
	// Now is the scheduling clock: SRS_NOW when set, else the real time.
	Now func() time.Time
	// Timeout is how long to wait for another srs process (SRS_LOCK_TIMEOUT).
	Timeout time.Duration
	// NoColor: NO_COLOR is set, so the review screen prints no colours
	// (https://no-color.org: any non-empty value).
	NoColor bool
	// Editor is the command srs edit runs: $EDITOR, else $VISUAL, else vi.
	Editor string
	// Command is the command line after the global flags (the command's
	// name first): it says what the command does with the user.
	Command  []string
	prepared bool
}

// userUse is what a command does with its user.
type userUse int

const (
	// userCreates: the command writes for the user, who is created on
	// first sight.
	userCreates userUse = iota
	// userReads: the command reads the user's data. A user who does not
	// exist is refused with the names of those who do (a mistyped
	// --user must not create a user), except in a database with no
	// users yet, where the first command creates its user.
	userReads
	// userNone: the command works on the file or the shared cards.
	userNone
)

func (e *Env) userUse() userUse {
	name := ""
	if len(e.Command) > 0 {
		name = e.Command[0]
	}
	switch name {
	case "status", "stats", "log", "cards", "show", "export", "optimize":
		// optimize writes settings only for a user with reviews.
		return userReads
	case "settings":
		for _, a := range e.Command[1:] {
			if strings.Contains(a, "=") && !strings.HasPrefix(a, "-") {
				return userCreates
			}
		}
		return userReads
	case "plan":
		// Only add writes; list and remove read a user who exists.
		if slices.Contains(e.Command[1:], "add") {
			return userCreates
		}
		return userReads
	case "decks", "edit", "doctor", "backup", "restore":
		return userNone
	}
	return userCreates
}

// maintenance reports whether the command looks after the file itself
// (doctor, backup, restore): it takes the file as it is, without loading
// a newer built-in deck into it first.
func (e *Env) maintenance() bool {
	return len(e.Command) > 0 && (e.Command[0] == "doctor" || e.Command[0] == "backup" || e.Command[0] == "restore")
}

// newEnv reads the environment and global flags.
func newEnv(io *IO, getenv func(string) string, dbFlag, userFlag string) (*Env, error) {
	e := &Env{IO: io, Now: time.Now, NoColor: getenv("NO_COLOR") != "", Editor: "vi"}
	for _, v := range []string{"EDITOR", "VISUAL"} {
		if ed := strings.TrimSpace(getenv(v)); ed != "" {
			e.Editor = ed
			break
		}
	}
	if s := getenv("SRS_NOW"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("SRS_NOW %q: not an RFC 3339 time (like 2026-11-27T09:00:00Z)", s)
		}
		e.Now = func() time.Time { return t }
	}
	if s := getenv("SRS_LOCK_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("SRS_LOCK_TIMEOUT %q: not a duration (like 2s)", s)
		}
		e.Timeout = d
	}
	e.DBPath = dbFlag
	if e.DBPath == "" {
		p, err := defaultDBPath(getenv)
		if err != nil {
			return nil, err
		}
		e.DBPath = p
	}
	e.User = userFlag
	if e.User == "" {
		e.User = defaultUser(getenv)
	}
	if err := store.ValidateUser(e.User); err != nil {
		return nil, fmt.Errorf("--user: %w", err)
	}
	return e, nil
}

// defaultDBPath is $XDG_DATA_HOME/srs/srs.db, falling back to
// ~/.local/share as the XDG spec says.
func defaultDBPath(getenv func(string) string) (string, error) {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("no --db, SRS_DB, XDG_DATA_HOME or home directory to keep the database in")
			}
			home = h
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "srs", "srs.db"), nil
}

func defaultUser(getenv func(string) string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := getenv("USER"); u != "" {
		return u
	}
	return "default"
}

// DataDir is the directory holding the database (and imported media).
func (e *Env) DataDir() string { return filepath.Dir(e.DBPath) }

// Open opens the store for one short piece of work. The first open in a
// process also loads a newer built-in deck and creates the user, so every
// command sees the guide on a fresh machine, and removes the temporary
// files a killed srs left behind.
func (e *Env) Open() (*store.Store, error) {
	if err := os.MkdirAll(e.DataDir(), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if !e.prepared {
		// The database's directory only: the system's temporary
		// directory can be large, and only an .apkg export (which
		// sweeps it) leaves anything there.
		store.SweepTemp(e.DataDir())
	}
	st, err := store.Open(e.DBPath, store.Options{Now: e.Now(), Timeout: e.Timeout, Upgrading: func(from, to uint64) {
		fmt.Fprintf(e.IO.ErrOut, "srs: upgrading %s from schema %d to %d (once; a large collection takes a while)\n", e.DBPath, from, to)
	}})
	if err != nil {
		return nil, err
	}
	if !e.prepared {
		if err := e.prepare(st); err != nil {
			st.Close()
			return nil, err
		}
		e.prepared = true
	}
	return st, nil
}

// with runs fn on an open store and closes it.
func (e *Env) with(fn func(*store.Store) error) error { return store.With(e.Open, fn) }

func (e *Env) prepare(st *store.Store) error {
	if e.maintenance() {
		return nil
	}
	have, err := st.BuiltinVersion()
	if err != nil {
		return err
	}
	if want := content.BuiltInVersion(); have != want {
		d, err := content.BuiltIn()
		if err != nil {
			return fmt.Errorf("built-in deck: %w", err)
		}
		if _, err := st.ImportDeck(d, store.ImportOptions{Now: e.Now(), Builtin: want}); err != nil {
			return fmt.Errorf("load built-in deck: %w", err)
		}
	}
	switch e.userUse() {
	case userNone:
		return nil
	case userReads:
		users, err := st.Users()
		if err != nil {
			return err
		}
		if len(users) > 0 && !slices.Contains(users, e.User) {
			return fmt.Errorf("%w %q (users: %s); a user is made by their first `srs review`", store.ErrNoUser, e.User, strings.Join(users, ", "))
		}
	}
	return st.EnsureUser(e.User, e.Now())
}

// errSilentCode wraps an error whose details the command already printed;
// Main prints only its first line.
var errSilentCode = errors.New("see above")
