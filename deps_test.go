package focal_test

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The module's layout, stated as data and checked against every Go file of
// the module (whatever its build constraints), as the Go standard library's
// go/build/deps_test.go checks its own. depRules says which packages of this
// module, and of other modules, each package's non-test files may import;
// the standard library is open to every package. A package missing from the
// table, or an import the table does not allow, fails TestDeps: a new edge
// is a change to this table, made on purpose.
//
// In a rule, "." is the root package, a path ending in "/..." is that path
// and every package below it, and a path whose first element has a dot is
// another module's package.
var depRules = map[string][]string{
	// The kernels' shared code: each package on the ones below it. A
	// project vendoring one kernel family takes impl/internal along.
	"impl/internal/csum":    nil,
	"impl/internal/dd":      nil,
	"impl/internal/form":    nil,
	"impl/internal/level":   nil,
	"impl/internal/ref":     {"impl/internal/dd"},
	"impl/internal/fast":    {"impl/internal/csum", "impl/internal/dd", "impl/internal/ref"},
	"impl/internal/rows":    {"impl/internal/csum", "impl/internal/dd", "impl/internal/form"},
	"impl/internal/softmax": {"impl/internal/csum", "impl/internal/dd", "impl/internal/form"},
	"impl/internal/model": {"impl/internal/csum", "impl/internal/dd", "impl/internal/form", "impl/internal/ref",
		"impl/internal/rows", "impl/internal/softmax"},

	// The kernel families: the standard library, impl/internal, and the
	// CPU detection of impl/asm. None imports another family or the root.
	"impl/naive":    {"impl/internal/csum", "impl/internal/form", "impl/internal/rows"},
	"impl/stable":   {"impl/internal/..."},
	"impl/asm":      {"impl/internal/...", "github.com/klauspost/cpuid/v2"},
	"impl/archsimd": {"impl/internal/..."},

	// Test support: imported by tests only (kerneltest: of impl/...).
	"impl/internal/kerneltest": {"impl/internal/...", "internal/bigref", "internal/golden/...", "internal/ulp",
		"github.com/klauspost/cpuid/v2", "golang.org/x/sys/unix"},
	"internal/bigref":         nil,
	"internal/golden":         nil,
	"internal/golden/softmax": {"internal/golden"},
	"internal/ulp":            nil,

	// The module: the root package registers the kernel families.
	".":                 {"impl/asm", "impl/archsimd", "impl/naive", "impl/stable"},
	"internal/accuracy": {".", "internal/golden/...", "internal/ulp", "gonum.org/v1/gonum/..."},
	"internal/kit": {".", "internal/accuracy", "internal/bigref", "internal/golden/...", "internal/ulp",
		"github.com/leanovate/gopter/...", "gonum.org/v1/gonum/..."},
	"focaltest":                {".", "internal/kit"},
	"props":                    nil,
	"bench":                    {".", "bench/cpeer"},
	"bench/cpeer":              {".", "bench/cpeer/avx2", "bench/cpeer/avx512", "github.com/klauspost/cpuid/v2"},
	"bench/cpeer/avx2":         nil,
	"bench/cpeer/avx512":       nil,
	"internal/choose":          {"golang.org/x/perf/..."},
	"internal/cpuinfo":         {"github.com/klauspost/cpuid/v2"},
	"internal/sweep":           {"impl/asm", "impl/stable", "internal/bigref", "internal/ulp"},
	"internal/sweep/cmd/sweep": {"internal/sweep"},
	"cmd/focal": {".", "bench", "bench/cpeer", "internal/accuracy", "internal/choose", "internal/cpuinfo",
		"internal/golden", "internal/kit", "golang.org/x/term", "gonum.org/v1/plot/..."},
}

// testOpen is what any package's tests may import besides what the package
// may: the package itself, the golden rows, the ULP measures, the math/big
// references and the sweeps; under impl/, the families' shared tests.
var testOpen = []string{"internal/golden/...", "internal/ulp", "internal/bigref", "internal/sweep", "gonum.org/v1/gonum/..."}

// testRules is what a package's tests may import beyond testOpen.
var testRules = map[string][]string{
	"impl/asm":                 {"impl/internal/kerneltest", "impl/naive", "impl/stable"},
	"impl/archsimd":            {"impl/internal/kerneltest", "impl/asm"},
	"impl/internal/model":      {"impl/internal/kerneltest"},
	"impl/internal/softmax":    {"impl/internal/kerneltest"},
	"impl/internal/fast":       {"impl/internal/kerneltest", "impl/stable"},
	"impl/naive":               {"impl/internal/kerneltest"},
	".":                        {"internal/accuracy", "internal/kit"},
	"props":                    {".", "focaltest", "internal/kit"},
	"bench":                    {"bench/cpeer", "focaltest"},
	"cmd/focal":                {"bench", "internal/accuracy"},
	"focaltest":                {"."},
	"internal/kit":             {"."},
	"internal/sweep/cmd/sweep": nil,
}

const modPath = "github.com/focalkernels/focal"

// allows reports whether rule list rules admits package path p (a module
// package as its path below the module, "." for the root; another module's
// as its import path).
func allows(rules []string, p string) bool {
	for _, r := range rules {
		if base, ok := strings.CutSuffix(r, "/..."); r == p || ok && (p == base || strings.HasPrefix(p, base+"/")) {
			return true
		}
	}
	return false
}

// TestDeps checks every import of every Go file of the module against
// depRules (and, for tests, testOpen and testRules).
func TestDeps(t *testing.T) {
	pkgs := modulePackages(t)
	if len(pkgs) < 20 {
		t.Fatalf("found %d packages: the walk is broken", len(pkgs))
	}
	for pkg, files := range pkgs {
		rules, ok := depRules[pkg]
		if !ok {
			t.Errorf("package %s is not in depRules: add it, with what it may import", pkg)
			continue
		}
		for _, f := range files {
			for _, imp := range f.imports {
				p, std := classify(imp)
				if std {
					continue
				}
				switch {
				case p == pkg, allows(rules, p):
				case f.test && (allows(testOpen, p) || allows(testRules[pkg], p)):
				default:
					t.Errorf("%s imports %s, which the layout does not allow (depRules, testRules)", f.name, imp)
				}
			}
		}
	}
	for pkg := range depRules {
		if _, ok := pkgs[pkg]; !ok {
			t.Errorf("depRules names %s, which is not a package of the module", pkg)
		}
	}
	// the families share code only through impl/internal
	for pkg, rules := range depRules {
		if strings.HasPrefix(pkg, "impl/internal/") {
			for _, r := range rules {
				if !strings.HasPrefix(r, "impl/internal/") && pkg != "impl/internal/kerneltest" {
					t.Errorf("depRules: %s may import %s: impl/internal imports only impl/internal", pkg, r)
				}
			}
		}
	}
}

// TestDepsRules: the rules say what they mean (a rule's own checks).
func TestDepsRules(t *testing.T) {
	for _, c := range []struct {
		rules []string
		p     string
		want  bool
	}{
		{[]string{"impl/internal/..."}, "impl/internal/model", true},
		{[]string{"impl/internal/..."}, "impl/internal", true},
		{[]string{"impl/internal/..."}, "impl/internalx", false},
		{[]string{"impl/internal/..."}, "impl/asm", false},
		{[]string{"."}, ".", true},
		{[]string{"impl/asm"}, ".", false},
		{[]string{"gonum.org/v1/gonum/..."}, "gonum.org/v1/gonum/stat", true},
	} {
		if got := allows(c.rules, c.p); got != c.want {
			t.Errorf("allows(%q, %q) = %v, want %v", c.rules, c.p, got, c.want)
		}
	}
	for _, c := range []struct {
		imp, p string
		std    bool
	}{
		{"math", "math", true}, {"C", "C", true}, {modPath, ".", false},
		{modPath + "/impl/asm", "impl/asm", false}, {"golang.org/x/sys/unix", "golang.org/x/sys/unix", false},
	} {
		if p, std := classify(c.imp); p != c.p || std != c.std {
			t.Errorf("classify(%q) = %q, %v; want %q, %v", c.imp, p, std, c.p, c.std)
		}
	}
}

// classify returns import path imp as the rules name it, and whether it is
// the standard library's (or cgo's "C").
func classify(imp string) (p string, std bool) {
	switch {
	case imp == modPath:
		return ".", false
	case strings.HasPrefix(imp, modPath+"/"):
		return strings.TrimPrefix(imp, modPath+"/"), false
	}
	first, _, _ := strings.Cut(imp, "/")
	return imp, !strings.Contains(first, ".")
}

type goFile struct {
	name    string // path from the module's root
	test    bool
	imports []string
}

// modulePackages returns the Go files of the module by package directory
// (below the module, "." for the root), parsed for their imports, whatever
// their build constraints but //go:build ignore (a command run by hand,
// such as a generator). It does not enter other modules, testdata, or
// directories whose names start with "." or "_", as the go command does not.
func modulePackages(t *testing.T) map[string][]goFile {
	pkgs := map[string][]goFile{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if x, err := constraint.Parse(c.Text); err == nil && x.String() == "ignore" {
					return nil
				}
			}
		}
		gf := goFile{name: filepath.ToSlash(path), test: strings.HasSuffix(path, "_test.go")}
		for _, s := range f.Imports {
			imp, _ := strconv.Unquote(s.Path.Value)
			gf.imports = append(gf.imports, imp)
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		pkgs[dir] = append(pkgs[dir], gf)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}
