package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// Main runs srs with args and returns the exit status: 0 on success, 1 on
// an error (reported as one line on stderr), 2 on a usage error, 130 when
// SIGINT or SIGTERM stopped an import or export.
func Main(args []string, io *IO, getenv func(string) string) int {
	var env *Env
	unknown := false
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version"}
	var app *cli.App
	app = &cli.App{
		Name:      "srs",
		Usage:     "spaced-repetition drills for senior and staff engineering interviews",
		UsageText: "srs [--db PATH] [--user NAME] COMMAND [options]",
		Version:   version(),
		Reader:    io.In,
		Writer:    io.Out,
		ErrWriter: io.ErrOut,
		Flags: []cli.Flag{
			// SRS_DB and SRS_USER are read through getenv, not urfave/cli's
			// EnvVars (the process environment), so that a caller's
			// environment is the one that counts.
			&cli.StringFlag{Name: "db", Usage: "database `PATH` (or $SRS_DB)"},
			&cli.StringFlag{Name: "user", Usage: "whose reviews these are (or $SRS_USER)"},
		},
		Before: func(c *cli.Context) (err error) {
			db, user := c.String("db"), c.String("user")
			if db == "" {
				db = getenv("SRS_DB")
			}
			if user == "" {
				user = getenv("SRS_USER")
			}
			env, err = newEnv(io, getenv, db, user)
			if env != nil {
				env.Command = c.Args().Slice()
			}
			return err
		},
		HideHelpCommand:      true,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(io.ErrOut, "srs: %s\n", unknownCommand(app, name))
			unknown = true
		},
		OnUsageError: func(c *cli.Context, err error, isCommand bool) error {
			return usageError{flagError(app, args, c, err, isCommand)}
		},
		Commands: []*cli.Command{
			reviewCommand(&env),
			mockCommand(&env),
			statusCommand(&env),
			decksCommand(&env),
			cardsCommand(&env),
			showCommand(&env),
			editCommand(&env),
			logCommand(&env),
			statsCommand(&env),
			planCommand(&env),
			settingsCommand(&env),
			optimizeCommand(&env),
			suspendCommand(&env, true),
			suspendCommand(&env, false),
			importCommand(&env),
			exportCommand(&env),
			doctorCommand(&env),
			backupCommand(&env),
			restoreCommand(&env),
			completionCommand(),
			manCommand(),
		},
	}
	for _, c := range app.Commands {
		c.OnUsageError = app.OnUsageError
		requireFlags(c)
	}
	err := app.Run(interspersed(app, args))
	switch {
	case unknown:
		return 2
	case err == nil:
		return 0
	}
	var ie interruptedError
	if errors.As(err, &ie) {
		fmt.Fprintf(io.ErrOut, "srs: %s\n", oneLine(ie.Error()))
		return 130
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(io.ErrOut, "srs: %v\n", oneLine(err.Error()))
		return 2
	}
	fmt.Fprintf(io.ErrOut, "srs: %s\n", oneLine(err.Error()))
	return 1
}

type usageError struct{ error }

// oneLine keeps an error to the one line the CLI contract promises.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// interspersed moves a command's flags ahead of its arguments, so that
// `srs import deck.md --dry-run` works as people type it: urfave/cli stops
// reading flags at the first argument. Global flags typed after the
// command (`srs review --db x`) move before it, where urfave/cli reads
// them. "--" still ends the flags.
func interspersed(app *cli.App, args []string) []string {
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") { // global flags
		if takesValue(app.Flags, args[i]) {
			i++
		}
		i++
	}
	if i >= len(args) {
		return args
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return args
	}
	var globals, flags, rest []string
	for j := i + 1; j < len(args); j++ {
		a := args[j]
		switch {
		case a == "--":
			rest = append(rest, args[j:]...)
			j = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			to, of := &flags, cmd.Flags
			if findFlag(cmd.Flags, a) == nil && findFlag(app.Flags, a) != nil {
				to, of = &globals, app.Flags
			}
			*to = append(*to, a)
			if takesValue(of, a) && j+1 < len(args) {
				j++
				*to = append(*to, args[j])
			}
		default:
			rest = append(rest, a)
		}
	}
	out := append(append([]string{}, args[:i]...), globals...)
	out = append(out, args[i])
	return append(append(out, flags...), rest...)
}

// takesValue reports whether arg names a non-boolean flag given without
// "=value".
func takesValue(flags []cli.Flag, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	if strings.Contains(name, "=") {
		return false
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*cli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}
