package srs

import (
	"bufio"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/srs-tool/srs"

// imports is the direction the project's packages import each other in,
// the table README.md shows under "Dependency direction". A row names a
// package, or a family ("deck/..." is every package below deck), and the
// project packages it may import; the first row that matches a package
// applies. Tests may import more; only the packages themselves are held
// to it.
var imports = []struct {
	pkg string
	may []string
}{
	{"cmd/srs", []string{"review", "queue", "prep", "history", "content", "deck", "deck/...", "fsrs", "fsrs/...", "store", "internal/..."}},
	{"bench/...", []string{"bench/...", "review", "prep", "history", "content", "deck", "deck/...", "fsrs", "fsrs/...", "store", "internal/..."}},
	{"review", []string{"queue", "deck", "fsrs", "store"}},
	{"queue", []string{"prep", "deck", "fsrs", "store"}},
	{"prep", []string{"history", "deck", "fsrs", "store"}},
	{"history", []string{"deck", "fsrs", "fsrs/...", "store"}},
	{"content", []string{"deck"}},
	{"deck/formats", []string{"deck", "deck/markdown", "deck/ankitext", "deck/apkg"}},
	{"deck/decktest", []string{"deck"}},
	{"deck/...", []string{"deck", "fsrs", "internal/..."}},
	{"store", []string{"deck", "fsrs", "internal/..."}},
	{"deck", nil},
	{"fsrs", nil},
	{"fsrs/...", []string{"fsrs"}},
	{"internal/...", nil},
	{".", nil},
}

// match reports whether the package path p (relative to the module,
// "." for its root) is pattern: a path, or a family "x/..." of the
// packages below x.
func match(pattern, p string) bool {
	if fam, ok := strings.CutSuffix(pattern, "/..."); ok {
		return strings.HasPrefix(p, fam+"/")
	}
	return p == pattern
}

// goList runs go list in the module root and returns, for each package
// named by args, the lines format gives.
func goList(t *testing.T, format string, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list", "-f", format}, args...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func rel(importPath string) (string, bool) {
	if importPath == module {
		return ".", true
	}
	p, ok := strings.CutPrefix(importPath, module+"/")
	return p, ok
}

// TestImportDirection fails on any import of a project package that the
// table does not allow, naming the importer, the import and the rule.
func TestImportDirection(t *testing.T) {
	for _, line := range goList(t, "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...") {
		f := strings.Fields(line)
		pkg, _ := rel(f[0])
		row := slices.IndexFunc(imports, func(r struct {
			pkg string
			may []string
		}) bool {
			return match(r.pkg, pkg)
		})
		if row < 0 {
			t.Errorf("package %s has no row in the dependency table: add one to layout_test.go and README.md", pkg)
			continue
		}
		r := imports[row]
		for _, imp := range f[1:] {
			p, ours := rel(imp)
			if !ours {
				continue
			}
			if !slices.ContainsFunc(r.may, func(m string) bool { return match(m, p) }) {
				may := "nothing of the project's"
				if len(r.may) > 0 {
					may = strings.Join(r.may, ", ")
				}
				t.Errorf("%s imports %s, against the direction: %s may import %s (README.md, Dependency direction)", pkg, p, r.pkg, may)
			}
		}
	}
}

// TestContentLinksLittle: the guide compiler and the card model need no
// database, compression or protobuf library; the formats do.
func TestContentLinksLittle(t *testing.T) {
	heavy := []string{"modernc.org/", "github.com/klauspost/compress", "google.golang.org/protobuf", "go.etcd.io/bbolt",
		"github.com/open-spaced-repetition/go-fsrs"}
	for _, pkg := range []string{"./content", "./deck"} {
		for _, dep := range goList(t, "{{range .Deps}}{{.}}\n{{end}}", pkg) {
			for _, h := range heavy {
				if strings.HasPrefix(dep, h) {
					t.Errorf("%s links %s", pkg, dep)
				}
			}
		}
	}
}

// TestReadmeShowsTheDirection keeps README.md's table the same as imports.
func TestReadmeShowsTheDirection(t *testing.T) {
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][2]string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "#"):
			in = strings.TrimLeft(l, "# ") == "Dependency direction"
		case in && strings.HasPrefix(l, "| `"):
			cells := strings.Split(strings.Trim(l, "| "), "|")
			if len(cells) < 2 {
				t.Fatalf("README row %q: want | package | may import |", l)
			}
			rows = append(rows, [2]string{strings.TrimSpace(cells[0]), strings.TrimSpace(cells[len(cells)-1])})
		}
	}
	var want [][2]string
	for _, r := range imports {
		may := "nothing of the project's"
		if len(r.may) > 0 {
			may = "`" + strings.Join(r.may, "`, `") + "`"
		}
		want = append(want, [2]string{"`" + r.pkg + "`", may})
	}
	if !slices.Equal(rows, want) {
		var b strings.Builder
		for _, r := range want {
			b.WriteString("| " + r[0] + " | " + r[1] + " |\n")
		}
		t.Errorf("README.md's Dependency direction table differs from layout_test.go's; it should read:\n%s", b.String())
	}
}

// TestNoMachinePaths: no Go file names a file by an absolute path of one
// machine (a test once read the Anki fixture from /work/shared). Files
// outside the module are found from its root, as sharedFixture in
// deck/apkg does.
func TestNoMachinePaths(t *testing.T) {
	err := fs.WalkDir(os.DirFS("."), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, l := range strings.Split(string(b), "\n") {
			for _, dir := range []string{"work", "home", "Users", "root"} {
				if strings.Contains(l, `"/`+dir+"/") {
					t.Errorf("%s:%d names a path on one machine: %s", path, i+1, strings.TrimSpace(l))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
