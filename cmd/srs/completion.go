package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/store"
)

// Shell completion scripts and the man page, both made from the command
// definitions at run time, so that they list what this binary takes.

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a completion script for bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: "bash: add  source <(srs completion bash)  to ~/.bashrc\n" +
			"zsh:  srs completion zsh > ~/.zfunc/_srs  (a directory in $fpath), then compinit\n" +
			"fish: srs completion fish > ~/.config/fish/completions/srs.fish",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{fmt.Errorf("completion takes one shell: bash, zsh or fish")}
			}
			spec := completionSpec(c.App)
			w := c.App.Writer
			switch sh := c.Args().First(); sh {
			case "bash":
				return spec.bash(w)
			case "zsh":
				return spec.zsh(w)
			case "fish":
				return spec.fish(w)
			default:
				return usageError{fmt.Errorf("completion %q: want bash, zsh or fish", sh)}
			}
		},
	}
}

func manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (roff): srs man > srs.1; man ./srs.1",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("man takes no arguments")}
			}
			page, err := c.App.ToManWithSection(1)
			if err != nil {
				return err
			}
			_, err = io.WriteString(c.App.Writer, page+manEnvironment)
			return err
		},
	}
}

// manEnvironment ends the man page: what the commands' flags do not say.
const manEnvironment = `.SH ENVIRONMENT
.TP
.B SRS_DB
the database (as --db); default $XDG_DATA_HOME/srs/srs.db, ~/.local/share/srs/srs.db
.TP
.B SRS_USER
whose reviews these are (as --user); default the OS user name
.TP
.B SRS_NOW
an RFC 3339 time that replaces the clock in every command
.TP
.B SRS_LOCK_TIMEOUT
how long to wait for another srs process (default 1.5s)
.TP
.B NO_COLOR
any value: no colours on the review screen
.TP
.B EDITOR, VISUAL
the editor srs edit and the review screen's e run (EDITOR first, then VISUAL, then vi)
.SH EXIT STATUS
0 on success, 1 on an error (one line on standard error), 2 on a usage error.
`

// compSpec is what a completion script completes: the commands, their
// flags and arguments, the global flags.
type compSpec struct {
	global   []compFlag
	commands []compCommand
}

type compCommand struct {
	name, usage string
	flags       []compFlag
	files       bool     // its arguments are files
	words       []string // its arguments are one of these
}

type compFlag struct {
	names  []string // without dashes, long first
	usage  string
	value  bool     // takes a value
	repeat bool     // may be given more than once
	files  bool     // its value is a file
	words  []string // its value is one of these
}

// flagWords are the values flags take from a fixed list. The lists are
// the ones the commands check against.
var flagWords = map[string][]string{
	"export --format": {"apkg", "tsv", "md", "jsonl"},
	"import --format": {"md", "csv", "tsv", "apkg", "guide"},
	"cards --state":   statusNames(),
}

func statusNames() []string {
	var out []string
	for _, s := range store.CardStatuses {
		out = append(out, string(s))
	}
	return out
}

func completionSpec(app *cli.App) compSpec {
	var s compSpec
	s.global = compFlags("", app.VisibleFlags())
	for _, c := range app.VisibleCommands() {
		flags := c.VisibleFlags()
		// urfave/cli adds --help to a command only when it runs it.
		if !c.HideHelp && cli.HelpFlag != nil && !slices.ContainsFunc(flags, func(f cli.Flag) bool { return f == cli.HelpFlag }) {
			flags = append(flags, cli.HelpFlag)
		}
		cc := compCommand{name: c.Name, usage: plainUsage(c.Usage), flags: compFlags(c.Name, flags)}
		cc.files = strings.Contains(c.ArgsUsage, "FILE")
		if c.Name == "completion" {
			cc.words = []string{"bash", "zsh", "fish"}
		}
		s.commands = append(s.commands, cc)
	}
	return s
}

func compFlags(cmd string, flags []cli.Flag) []compFlag {
	var out []compFlag
	for _, f := range flags {
		names := append([]string{}, f.Names()...)
		sort.SliceStable(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
		cf := compFlag{names: names}
		if d, ok := f.(cli.DocGenerationFlag); ok {
			cf.usage = plainUsage(d.GetUsage())
			cf.value = d.TakesValue()
			cf.files = strings.Contains(d.GetUsage(), "`FILE`") || strings.Contains(d.GetUsage(), "`PATH`")
		}
		_, cf.repeat = f.(*cli.StringSliceFlag)
		cf.words = flagWords[cmd+" --"+names[0]]
		out = append(out, cf)
	}
	return out
}

// plainUsage drops urfave/cli's placeholder marks: "database `PATH`".
func plainUsage(s string) string { return strings.ReplaceAll(s, "`", "") }

func dashed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = dashes(n)
	}
	return out
}

func (s compSpec) commandNames() []string {
	var out []string
	for _, c := range s.commands {
		out = append(out, c.name)
	}
	return out
}

// bash writes a completion function for bash: commands, then each
// command's flags, files or words; a flag's value from its list or files.
func (s compSpec) bash(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# bash completion for srs, made by `srs completion bash`: add\n#   source <(srs completion bash)\n# to ~/.bashrc.\n")
	b.WriteString("_srs() {\n")
	b.WriteString("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n")
	b.WriteString("    COMPREPLY=()\n")
	// The command is the first word that is not a global flag or its value.
	var globalValue []string
	for _, f := range s.global {
		if f.value {
			globalValue = append(globalValue, dashed(f.names)...)
		}
	}
	b.WriteString("    for ((i = 1; i < COMP_CWORD; i++)); do\n        case ${COMP_WORDS[i]} in\n")
	if len(globalValue) > 0 {
		fmt.Fprintf(&b, "        %s) ((i++)) ;;\n", strings.Join(globalValue, "|"))
	}
	b.WriteString("        -*) ;;\n        *) cmd=${COMP_WORDS[i]}; break ;;\n        esac\n    done\n")
	// A flag's value.
	b.WriteString("    case \"$cmd $prev\" in\n")
	valueCase := func(pattern string, f compFlag) {
		switch {
		case len(f.words) > 0:
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -W %s -- \"$cur\")); return ;;\n", pattern, shQuote(strings.Join(f.words, " ")))
		case f.files:
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", pattern)
		default:
			fmt.Fprintf(&b, "    %s) return ;;\n", pattern)
		}
	}
	for _, f := range s.global {
		if f.value {
			var ps []string
			for _, n := range dashed(f.names) {
				ps = append(ps, "*\" "+n+"\"")
			}
			valueCase(strings.Join(ps, "|"), f)
		}
	}
	for _, c := range s.commands {
		for _, f := range c.flags {
			if f.value {
				var ps []string
				for _, n := range dashed(f.names) {
					ps = append(ps, "\""+c.name+" "+n+"\"")
				}
				valueCase(strings.Join(ps, "|"), f)
			}
		}
	}
	b.WriteString("    esac\n")
	// Flags, then arguments.
	b.WriteString("    local flags\n    case $cmd in\n")
	var gl []string
	for _, f := range s.global {
		gl = append(gl, dashed(f.names)...)
	}
	fmt.Fprintf(&b, "    \"\") flags=%s ;;\n", shQuote(strings.Join(gl, " ")))
	for _, c := range s.commands {
		var fl []string
		for _, f := range c.flags {
			fl = append(fl, dashed(f.names)...)
		}
		fmt.Fprintf(&b, "    %s) flags=%s ;;\n", c.name, shQuote(strings.Join(fl, " ")))
	}
	b.WriteString("    esac\n")
	b.WriteString("    if [[ $cur == -* ]]; then\n        COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n        return\n    fi\n")
	b.WriteString("    case $cmd in\n")
	fmt.Fprintf(&b, "    \"\") COMPREPLY=($(compgen -W %s -- \"$cur\")) ;;\n", shQuote(strings.Join(s.commandNames(), " ")))
	for _, c := range s.commands {
		switch {
		case len(c.words) > 0:
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -W %s -- \"$cur\")) ;;\n", c.name, shQuote(strings.Join(c.words, " ")))
		case c.files:
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n", c.name)
		}
	}
	b.WriteString("    esac\n}\ncomplete -o filenames -F _srs srs\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// zsh writes a completion function for zsh's compsys (_arguments).
func (s compSpec) zsh(w io.Writer) error {
	var b strings.Builder
	b.WriteString("#compdef srs\n# zsh completion for srs, made by `srs completion zsh`: save it as _srs in a\n# directory of $fpath (before compinit runs), or source it.\n\n")
	b.WriteString("_srs() {\n    local curcontext=$curcontext state line\n    local -a commands\n    commands=(\n")
	for _, c := range s.commands {
		fmt.Fprintf(&b, "        %s\n", zshQuote(c.name+":"+c.usage))
	}
	b.WriteString("    )\n    _arguments -C \\\n")
	for _, f := range s.global {
		fmt.Fprintf(&b, "        %s \\\n", zshFlag(f))
	}
	b.WriteString("        '1:command:->command' \\\n        '*::arg:->args'\n")
	b.WriteString("    case $state in\n    command) _describe -t commands 'srs command' commands ;;\n    args)\n        case $words[1] in\n")
	for _, c := range s.commands {
		fmt.Fprintf(&b, "        %s) _arguments", c.name)
		for _, f := range c.flags {
			fmt.Fprintf(&b, " \\\n            %s", zshFlag(f))
		}
		switch {
		case len(c.words) > 0:
			fmt.Fprintf(&b, " \\\n            %s", zshQuote("1:shell:("+strings.Join(c.words, " ")+")"))
		case c.files:
			b.WriteString(" \\\n            '*:file:_files'")
		}
		b.WriteString(" ;;\n")
	}
	b.WriteString("        esac ;;\n    esac\n}\n\n")
	b.WriteString("if [[ $funcstack[1] == _srs ]]; then\n    _srs \"$@\"\nelse\n    compdef _srs srs\nfi\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// zshFlag is one _arguments spec: "(-o --output)"{-o,--output}"[…]:…".
func zshFlag(f compFlag) string {
	desc := strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(f.usage)
	spec := "[" + desc + "]"
	if f.value {
		action := " "
		switch {
		case len(f.words) > 0:
			action = "(" + strings.Join(f.words, " ") + ")"
		case f.files:
			action = "_files"
		}
		spec += ":" + strings.ToUpper(f.names[0]) + ":" + action
	}
	names := dashed(f.names)
	switch {
	case f.repeat:
		return zshQuote("*" + names[0] + spec)
	case len(names) == 1:
		return zshQuote(names[0] + spec)
	}
	return zshQuote("("+strings.Join(names, " ")+")") + "{" + strings.Join(names, ",") + "}" + zshQuote(spec)
}

// fish writes complete commands for fish.
func (s compSpec) fish(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# fish completion for srs, made by `srs completion fish`: save it as\n# ~/.config/fish/completions/srs.fish\n\n")
	names := strings.Join(s.commandNames(), " ")
	b.WriteString("function __srs_command --description 'the srs command on the line, if any'\n")
	fmt.Fprintf(&b, "    for w in (commandline -opc)[2..-1]\n        if contains -- $w %s\n            echo $w\n            return 0\n        end\n    end\n    return 1\nend\n\n", names)
	b.WriteString("function __srs_using --argument-names name --description 'whether the srs command on the line is name'\n    test \"$(__srs_command)\" = $name\nend\n\n")
	b.WriteString("complete -c srs -f\n")
	flag := func(cond string, f compFlag) {
		fmt.Fprintf(&b, "complete -c srs -n %s", fishQuote(cond))
		for _, n := range f.names {
			if len(n) == 1 {
				fmt.Fprintf(&b, " -s %s", n)
			} else {
				fmt.Fprintf(&b, " -l %s", n)
			}
		}
		switch {
		case len(f.words) > 0:
			fmt.Fprintf(&b, " -x -a %s", fishQuote(strings.Join(f.words, " ")))
		case f.files:
			b.WriteString(" -r -F")
		case f.value:
			b.WriteString(" -x")
		}
		fmt.Fprintf(&b, " -d %s\n", fishQuote(f.usage))
	}
	for _, f := range s.global {
		flag("not __srs_command", f)
	}
	for _, c := range s.commands {
		fmt.Fprintf(&b, "complete -c srs -n 'not __srs_command' -a %s -d %s\n", c.name, fishQuote(c.usage))
	}
	for _, c := range s.commands {
		cond := "__srs_using " + c.name
		for _, f := range c.flags {
			flag(cond, f)
		}
		switch {
		case len(c.words) > 0:
			fmt.Fprintf(&b, "complete -c srs -n %s -a %s\n", fishQuote(cond), fishQuote(strings.Join(c.words, " ")))
		case c.files:
			fmt.Fprintf(&b, "complete -c srs -n %s -F\n", fishQuote(cond))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shQuote quotes for bash and zsh: single quotes, a single quote as '\”.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func zshQuote(s string) string { return shQuote(s) }

// fishQuote quotes for fish, whose single quotes take \' and \\.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
