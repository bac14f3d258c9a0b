package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/store"
)

func doctorCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check the database; --rebuild recomputes states and indexes from the review log",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "rebuild", Usage: "recompute every card state and index from the review log (one transaction)"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as JSON"},
		},
		Action: func(c *cli.Context) error {
			return runDoctor(*env, c.Bool("rebuild"), c.Bool("json"))
		},
	}
}

func runDoctor(env *Env, rebuild, asJSON bool) error {
	out := env.IO.Out
	var rep *store.Report
	err := env.with(func(s *store.Store) error {
		if rebuild {
			res, err := s.Rebuild()
			if err != nil {
				return fmt.Errorf("rebuild: %w", err)
			}
			if !asJSON {
				fmt.Fprintf(out, "rebuilt %d card states for %d users from %d log entries (%d entries corrected)\n",
					res.States, res.Users, res.Entries, res.Fixed)
			}
		}
		var err error
		rep, err = s.Check()
		return err
	})
	if err != nil {
		return err
	}
	if asJSON {
		if rep.Problems == nil {
			rep.Problems = []store.Problem{}
		}
		if err := json.NewEncoder(out).Encode(rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(out, "%s: schema %d, %d cards, %d users, %d log entries\n", env.DBPath, rep.Schema, rep.Cards, rep.Users, rep.Entries)
		for _, p := range rep.Problems {
			fmt.Fprintf(out, "problem: %s\n", p)
		}
	}
	if rep.Damaged {
		// Rebuilding writes to the file and trusts its log: neither
		// is possible on a file whose pages are broken.
		return fmt.Errorf("database %s is %w (%d problems above); `srs restore FILE` puts a backup back", env.DBPath, store.ErrDamaged, len(rep.Problems))
	}
	if len(rep.Problems) > 0 {
		if !asJSON {
			fmt.Fprintf(out, "%d problems; `srs doctor --rebuild` recomputes states and indexes from the review log\n", len(rep.Problems))
		}
		return fmt.Errorf("%d problems found in %s: %w", len(rep.Problems), env.DBPath, errSilentCode)
	}
	if !asJSON {
		fmt.Fprintln(out, "no problems found")
	}
	return nil
}

func backupCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "backup",
		Usage:     "write a consistent copy of the database to FILE, while srs may be in use",
		ArgsUsage: "FILE",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "overwrite FILE if it exists"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{fmt.Errorf("backup takes one FILE")}
			}
			e := *env
			to := c.Args().First()
			if to == "-" {
				return usageError{fmt.Errorf("backup -: name a file (/dev/stdout for standard output)")}
			}
			// The database itself is refused by Backup, whatever --force
			// says. A device, a pipe or a name under /dev (/dev/stdout)
			// is written, not overwritten.
			underDev := strings.HasPrefix(to, "/dev/") || strings.HasPrefix(to, "/proc/")
			if fi, err := os.Stat(to); err == nil && fi.Mode().IsRegular() && !underDev && !c.Bool("force") {
				db, err := os.Stat(e.DBPath)
				if err != nil || !os.SameFile(fi, db) {
					return fmt.Errorf("backup %s: the file exists; --force overwrites it", to)
				}
			}
			return e.with(func(s *store.Store) error {
				n, err := s.Backup(to)
				if err == nil {
					// A backup written to standard output keeps
					// standard output to itself.
					out := e.IO.Out
					if stdoutNames[to] {
						out = e.IO.ErrOut
					}
					fmt.Fprintf(out, "backed up %s to %s (%d bytes)\n", e.DBPath, to, n)
				}
				return err
			})
		},
	}
}

func restoreCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "restore",
		Usage:     "replace the database with a backup; refuses to drop newer reviews without --force",
		ArgsUsage: "FILE",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "overwrite even if the database has newer reviews"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{fmt.Errorf("restore takes one FILE")}
			}
			e := *env
			if err := store.Restore(e.DBPath, c.Args().First(), c.Bool("force"), store.Options{Now: e.Now(), Timeout: e.Timeout}); err != nil {
				return err
			}
			fmt.Fprintf(e.IO.Out, "restored %s from %s\n", e.DBPath, c.Args().First())
			return nil
		},
	}
}
