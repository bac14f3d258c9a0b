package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// srsOutput runs Main in the test process and returns its standard output.
func srsOutput(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"SRS_DB": filepath.Join(t.TempDir(), "srs.db"), "SRS_USER": "ann"}
	if code := Main(append([]string{"srs"}, args...), &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("srs %v: exit %d: %s", args, code, errOut.String())
	}
	return out.String()
}

func writeScript(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runShell runs a shell script with a deadline: a completion that hangs
// fails the test instead of stopping it.
func runShell(t *testing.T, shell string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, shell, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", shell, args, err, out)
	}
	return string(out)
}

// The bash script completes commands, flags, a flag's listed values and
// files, by calling its function as bash's completion does.
func TestCompletionBash(t *testing.T) {
	needTool(t, "bash")
	script := writeScript(t, "srs.bash", srsOutput(t, "completion", "bash"))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "deck.md"), nil, 0o644)
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"srs", "exp"}, "export"},
		{[]string{"srs", "s"}, "status show stats settings suspend"},
		{[]string{"srs", "--db", "x.db", "ca"}, "cards"},
		{[]string{"srs", "--"}, "--db --user --help --version"},
		{[]string{"srs", "-"}, "--db --user --help -h --version"},
		{[]string{"srs", "cards", "--st"}, "--state"},
		{[]string{"srs", "cards", "--state", "re"}, "relearning review retired"},
		{[]string{"srs", "export", "--format", ""}, "apkg tsv md jsonl"},
		{[]string{"srs", "import", "--format", "g"}, "guide"},
		{[]string{"srs", "import", dir + "/de"}, dir + "/deck.md"},
		{[]string{"srs", "backup", "-"}, "--force --help -h"},
		{[]string{"srs", "completion", ""}, "bash zsh fish"},
		{[]string{"srs", "review", "--deck", ""}, ""},
	}
	for _, tc := range tests {
		var words []string
		for _, w := range tc.words {
			words = append(words, shQuote(w))
		}
		got := runShell(t, "bash", "-c", "source "+script+"; COMP_WORDS=("+strings.Join(words, " ")+"); COMP_CWORD="+
			strconv.Itoa(len(tc.words)-1)+`; _srs; echo "${COMPREPLY[*]}"`)
		if strings.TrimSpace(got) != tc.want {
			t.Errorf("%q: completes %q, want %q", tc.words, strings.TrimSpace(got), tc.want)
		}
	}
}

// The fish script, asked through fish's own `complete -C`.
func TestCompletionFish(t *testing.T) {
	needTool(t, "fish")
	script := writeScript(t, "srs.fish", srsOutput(t, "completion", "fish"))
	for _, tc := range []struct{ line, want string }{
		{"srs exp", "export"},
		{"srs cards --st", "--state"},
		{"srs cards --state re", "relearning retired review"},
		{"srs export --format ", "apkg jsonl md tsv"},
		{"srs review --l", "--lines"},
		{"srs completion ", "bash fish zsh"},
	} {
		out := runShell(t, "fish", "--no-config", "-c", "source "+script+"; complete -C "+fishQuote(tc.line))
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			got = append(got, strings.SplitN(l, "\t", 2)[0])
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%q: completes %q, want %q", tc.line, g, tc.want)
		}
	}
}

// The zsh script, typed into an interactive zsh on a pseudo-terminal
// (zsh/zpty): after each tab, a key bound to a widget prints the line as
// completion left it.
func TestCompletionZsh(t *testing.T) {
	needTool(t, "zsh")
	script := writeScript(t, "_srs", srsOutput(t, "completion", "zsh"))
	runShell(t, "zsh", "-n", script)
	lines := []struct{ typed, want string }{
		{"srs expo", "srs export "},
		{"srs export --format j", "srs export --format jsonl "},
		{"srs cards --state su", "srs cards --state suspended "},
		{"srs --db x.db sh", "srs --db x.db show "},
		{"srs review --li", "srs review --lines "},
	}
	var drive strings.Builder
	drive.WriteString("zmodload zsh/zpty\nzpty z 'zsh -f -i'\n")
	// The prompt is spelt apart so that the echo of this line is not it.
	drive.WriteString(`zpty -w z "PS1='RE''ADY> '; autoload -U compinit; compinit -u; source ` + script +
		`; srs() { :; }; showbuf() { zle -M \"BUF<\$BUFFER>\" }; zle -N showbuf; bindkey '^G' showbuf"` + "\n")
	drive.WriteString("zpty -r -m z out '*READY> *'\n")
	for _, l := range lines {
		drive.WriteString("zpty -w -n z $'\\x15" + l.typed + "\\t\\x07'\n")
		drive.WriteString("zpty -r -m z out '*BUF<*>*'\nprint -r -- \"${${out##*BUF<}%%>*}\"\n")
	}
	drive.WriteString("zpty -d z\n")
	out := runShell(t, "zsh", "-f", writeScript(t, "drive.zsh", drive.String()))
	got := strings.Split(strings.TrimRight(strings.ReplaceAll(out, "\r", ""), "\n"), "\n")
	if len(got) != len(lines) {
		t.Fatalf("zsh printed %q, want %d lines", out, len(lines))
	}
	for i, l := range lines {
		if got[i] != l.want {
			t.Errorf("%q completes to %q, want %q", l.typed, got[i], l.want)
		}
	}
}

// The man page is roff made from the commands: every command and its
// flags, and the environment.
func TestManPage(t *testing.T) {
	page := srsOutput(t, "man")
	for _, want := range []string{`.TH srs 1`, `.SH NAME`, `.SH GLOBAL OPTIONS`, `.SH ENVIRONMENT`, `SRS_NOW`, `EDITOR, VISUAL`} {
		if !strings.Contains(page, want) {
			t.Errorf("man page has no %q", want)
		}
	}
	for _, cmd := range []string{"review", "cards", "show", "edit", "backup", "completion"} {
		if !regexp.MustCompile(`(?m)^\.SH ` + cmd + `$`).MatchString(page) {
			t.Errorf("man page has no section for %s", cmd)
		}
	}
	if !strings.Contains(page, `\fB--search\fP`) || !strings.Contains(page, `\fB--force\fP`) {
		t.Errorf("man page lacks the commands' flags (--search, --force)")
	}
}
