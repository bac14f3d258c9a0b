package main

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// The command line's manners, whatever the command: the version, one
// line for every usage error with a "did you mean" where a name was
// mistyped, global flags taken after the command too, and a missing
// required flag said in one line instead of the whole help.

// version is what `srs --version` prints after "srs version": the module
// version `go install` stamps, else "devel" with the commit the binary
// was built from, when the build recorded one.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module information)"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	detail := []string{rev[:min(len(rev), 12)]}
	if modified {
		detail = append(detail, "modified")
	}
	if at != "" {
		detail = append(detail, at)
	}
	return v + " (" + strings.Join(detail, ", ") + ")"
}

// suggest is the name in names typed most likely meant: one within a
// third of its length in edits (at least one edit), or one typed begins.
// "" when none is close.
func suggest(typed string, names []string) string {
	best, bestD := "", 0
	for _, n := range names {
		d := editDistance(typed, n)
		if d > max(1, len(n)/3) && !(len(typed) >= 2 && strings.HasPrefix(n, typed)) {
			continue
		}
		if best == "" || d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (names here are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func commandNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	return names
}

func flagNames(flags []cli.Flag) []string {
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	return names
}

// findFlag is the flag of flags that arg ("--deck", "-o", "--deck=x")
// names, nil if none.
func findFlag(flags []cli.Flag, arg string) cli.Flag {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// unknownCommand says so in one line, with the command meant if one is
// close.
func unknownCommand(app *cli.App, name string) string {
	if s := suggest(name, commandNames(app.Commands)); s != "" {
		return fmt.Sprintf("unknown command %q; did you mean %q? (see srs --help)", name, s)
	}
	return fmt.Sprintf("unknown command %q; see srs --help", name)
}

// flagError rewrites urfave/cli's (Go's flag package's) usage errors in
// srs's words, on one line: "--deck" as people type it, the flag meant,
// and where a flag of the other level (global or the command's) goes.
func flagError(app *cli.App, args []string, c *cli.Context, err error, isCommand bool) error {
	msg := err.Error()
	var cmd *cli.Command
	if isCommand && c != nil {
		cmd = c.Command
	}
	where, flags := "", app.Flags
	if cmd != nil {
		where, flags = cmd.Name+": ", cmd.Flags
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimPrefix(name, "-")
		if cmd == nil {
			// A command's flag before the command.
			if next := commandIn(app, args); next != nil && findFlag(next.Flags, name) != nil {
				return fmt.Errorf("%s is a flag of %s: put it after the command (srs %s %s ...)", dashes(name), next.Name, next.Name, dashes(name))
			}
		}
		if s := suggest(name, flagNames(flags)); s != "" {
			return fmt.Errorf("%sunknown flag %s; did you mean %s?", where, dashes(name), dashes(s))
		}
		help := "srs --help"
		if cmd != nil {
			help = "srs " + cmd.Name + " --help"
		}
		return fmt.Errorf("%sunknown flag %s; see %s", where, dashes(name), help)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Errorf("%s%s needs a value", where, dashes(strings.TrimPrefix(name, "-")))
	}
	if strings.HasPrefix(msg, "invalid value ") {
		if i := strings.Index(msg, " for flag -"); i >= 0 {
			rest := msg[i+len(" for flag -"):]
			name, why, _ := strings.Cut(rest, ": ")
			return fmt.Errorf("%s%s: %s %s", where, dashes(strings.TrimPrefix(name, "-")), msg[len("invalid value "):i], why)
		}
	}
	return fmt.Errorf("%s%s", where, msg)
}

// commandIn is the first command args name, nil if none. A word that
// is no command may be the value of a flag, and is passed over.
func commandIn(app *cli.App, args []string) *cli.Command {
	for _, a := range args[1:] {
		if a == "--" {
			return nil
		}
		if c := app.Command(a); c != nil && !strings.HasPrefix(a, "-") {
			return c
		}
	}
	return nil
}

// requireFlags takes urfave/cli's required flags over: it answers a
// missing one with the whole help, srs with one line and exit 2. The
// flags are marked Required in the command definitions as usual.
func requireFlags(cmd *cli.Command) {
	var required []cli.Flag
	for _, f := range cmd.Flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			if f.Required {
				f.Required = false
				required = append(required, f)
			}
		case *cli.IntFlag:
			if f.Required {
				f.Required = false
				required = append(required, f)
			}
		case *cli.StringSliceFlag:
			if f.Required {
				f.Required = false
				required = append(required, f)
			}
		}
	}
	if len(required) == 0 || cmd.Action == nil {
		return
	}
	action := cmd.Action
	cmd.Action = func(c *cli.Context) error {
		for _, f := range required {
			name := f.Names()[0]
			if !c.IsSet(name) {
				usage := ""
				if u, ok := f.(cli.DocGenerationFlag); ok && u.GetUsage() != "" {
					usage = " (" + u.GetUsage() + ")"
				}
				return usageError{fmt.Errorf("%s needs %s%s", cmd.Name, dashes(name), usage)}
			}
		}
		return action(c)
	}
}
