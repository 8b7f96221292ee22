package focal_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// readme returns README.md with every run of white space folded to one
// space, so that a sentence is found wherever its lines break.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// TestReadmeSum: the README states TestSumAccumulation's sizes and
// tolerances as the test has them.
func TestReadmeSum(t *testing.T) {
	sci := func(v float64) string { return strings.Replace(fmt.Sprint(v), "e-0", "e-", 1) } // 1e-6, not 1e-06
	want := fmt.Sprintf("`TestSumAccumulation` holds every kernel's `Sum` to a relative error of %s (float32) and %s (float64) at N = 2^%d (float32) and 2^%d (float64).",
		sci(sumTol32), sci(sumTol64), sumLog2N32, sumLog2N64)
	r := readme(t)
	if !strings.Contains(r, want) {
		t.Errorf("README.md does not say %q", want)
	}
	if short := fmt.Sprintf("(`sum_test.go`, 2^%d and 2^%d elements to 2^%d;", sumLog2N32, sumLog2N64, sumLog2Short); !strings.Contains(r, short) {
		t.Errorf("README.md does not say %q", short)
	}
}

// TestReadmeShort: every Go file of the module that asks testing.Short() is
// named in the README's paragraph on what -short trims.
func TestReadmeShort(t *testing.T) {
	r := readme(t)
	i := strings.Index(r, "`-short` trims")
	if i < 0 {
		t.Fatal("README.md has no paragraph on what `-short` trims")
	}
	para := r[i:]
	para = para[:strings.Index(para, ". Off amd64")]
	fset := token.NewFileSet()
	n := 0
	for pkg, files := range modulePackages(t) {
		for _, f := range files {
			af, err := parser.ParseFile(fset, f.name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !callsShort(af) {
				continue
			}
			n++
			// named by its path below impl/ or impl/internal/, or from the root
			name := strings.TrimPrefix(strings.TrimPrefix(f.name, "impl/internal/"), "impl/")
			if !strings.Contains(para, "`"+name+"`") {
				t.Errorf("%s (package %s) asks testing.Short(), but the README's -short paragraph does not name `%s`", f.name, pkg, name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no file asks testing.Short(): the search is broken")
	}
}

// callsShort reports whether f calls testing.Short.
func callsShort(f *ast.File) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if s, ok := c.Fun.(*ast.SelectorExpr); ok && s.Sel.Name == "Short" {
				if x, ok := s.X.(*ast.Ident); ok && x.Name == "testing" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
