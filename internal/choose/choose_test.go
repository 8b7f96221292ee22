package choose

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

func read(t *testing.T, path string) *Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Read([]File{{path, f}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSynthetic feeds a file whose answer is known by construction:
// at n=1024 "fast" beats "mid" significantly; at n=65536 "fast" and "mid"
// overlap (a tie, not significant); at n=4096 three samples each cannot reach
// p < 0.05 however far apart they are; γ=1.5 has one kernel only.
func TestSynthetic(t *testing.T) {
	r := read(t, "testdata/synthetic.txt")
	if len(r.Groups) != 2 {
		t.Fatalf("%d groups, want 2: %+v", len(r.Groups), r.Groups)
	}
	g := r.Groups[0]
	if g.Name != "Sum gamma=2 type=float32 procs=2" || g.CPU != "Test CPU" {
		t.Errorf("group %q on %q", g.Name, g.CPU)
	}
	type want struct {
		size, fastest, runnerUp string
		significant             bool
		ties                    []string
	}
	wants := []want{
		{"1024", "fast", "mid", true, nil},
		{"4096", "fast", "slow", false, []string{"slow"}},
		{"65536", "fast", "mid", false, []string{"mid"}},
	}
	if len(g.Decisions) != len(wants) {
		t.Fatalf("%d decisions, want %d", len(g.Decisions), len(wants))
	}
	for i, w := range wants {
		d := g.Decisions[i]
		ru, _ := d.RunnerUp()
		if d.Size != w.size || d.Fastest().Name != w.fastest || ru.Name != w.runnerUp || ru.Significant() != w.significant {
			t.Errorf("n=%s: fastest %s, runner-up %s (significant %v, p=%.3g); want n=%s %s, %s (%v)",
				d.Size, d.Fastest().Name, ru.Name, ru.Significant(), ru.Cmp.P, w.size, w.fastest, w.runnerUp, w.significant)
		}
		if got := strings.Join(d.Ties(), ","); got != strings.Join(w.ties, ",") {
			t.Errorf("n=%s: ties %q, want %q", d.Size, got, strings.Join(w.ties, ","))
		}
	}
	f := g.Decisions[0].Fastest().Summary
	if f.Center != 1004.5e-9 || !(f.Lo <= f.Center && f.Center <= f.Hi) {
		t.Errorf("n=1024 fastest summary %+v, want median 1004.5ns inside its interval", f)
	}
	if one := r.Groups[1].Decisions[0]; len(one.Kernels) != 1 || one.Fastest().Name != "fast" {
		t.Errorf("γ=1.5: %+v", one)
	}
	if got, want := g.Short(), "fast at n=1024; fast ≈ slow at n=4096; fast ≈ mid at n=65536"; got != want {
		t.Errorf("Short() = %q, want %q", got, want)
	}
	if r.Skipped != 1 {
		t.Errorf("skipped %d, want 1 (BenchmarkOther has no kernel)", r.Skipped)
	}

	var out strings.Builder
	if err := r.Write(&out); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"cpu: Test CPU", "1024   fast", "significant", "not significant (need >= 4 samples", "±∞", "only kernel"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}
	t.Log("\n" + out.String())
}

func TestMalformedLineIsAWarning(t *testing.T) {
	r, err := Read([]File{{"x", strings.NewReader("BenchmarkSum/kernel=a/n=1-2 10 abc ns/op\nBenchmarkSum/kernel=a/n=1-2 10 5 ns/op\n")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || len(r.Groups) != 1 {
		t.Errorf("warnings %q, groups %d", r.Warnings, len(r.Groups))
	}
}

func TestUnitIsTidied(t *testing.T) {
	in := "BenchmarkSum/kernel=a/n=1-2 10 5 ns/op 2 ns/elem\nBenchmarkSum/kernel=b/n=1-2 10 3 ns/op 4 ns/elem\n"
	for unit, want := range map[string]string{"ns/op": "b", "ns/elem": "a", "sec/elem": "a"} {
		r, err := Read([]File{{"x", strings.NewReader(in)}}, Options{Unit: unit})
		if err != nil || len(r.Groups) != 1 {
			t.Fatalf("%s: %v, %d groups", unit, err, len(r.Groups))
		}
		if got := r.Groups[0].Decisions[0].Fastest().Name; got != want {
			t.Errorf("-unit %s: fastest %s, want %s", unit, got, want)
		}
	}
}

// TestRowsNames: the rows form's benchmarks (with c= and targets= keys, n
// the rows) group by their other keys and are decided per n like the flat
// ones.
func TestRowsNames(t *testing.T) {
	text := benchRuns(6, func(w io.Writer, i int) {
		for _, k := range []struct {
			name string
			ns   int
		}{{"fast", 100}, {"slow", 300}} {
			fmt.Fprintf(w, "BenchmarkSumRows/kernel=%s/n=8192/c=80/gamma=2/targets=weighted/type=float32-2 100 %d ns/op\n", k.name, k.ns+i)
			fmt.Fprintf(w, "BenchmarkSumRows/kernel=%s/n=8192/c=80/gamma=2/targets=onehot/type=float32-2 100 %d ns/op\n", k.name, 2*k.ns+i)
		}
	})
	r := readGroups(t, "rows", text, 2, "2 (onehot and weighted)")
	for _, g := range r.Groups {
		if !strings.Contains(g.Name, "c=80") || len(g.Decisions) != 1 || g.Decisions[0].Size != "8192" || g.Decisions[0].Fastest().Name != "fast" {
			t.Errorf("group %q: %+v", g.Name, g.Decisions)
		}
	}
}

// benchRuns is go test -bench output on "Test CPU" of n runs, run i's
// lines written by lines(w, i).
func benchRuns(n int, lines func(w io.Writer, i int)) string {
	var b strings.Builder
	b.WriteString("cpu: Test CPU\n")
	for i := range n {
		lines(&b, i)
	}
	return b.String()
}

// readGroups reads benchmark output text as one file called name and
// wants n groups in the report (want says which, for the message).
func readGroups(t *testing.T, name, text string, n int, want string) *Report {
	t.Helper()
	r, err := Read([]File{{name, strings.NewReader(text)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Groups) != n {
		t.Fatalf("%d groups, want %s: %+v", len(r.Groups), want, r.Groups)
	}
	return r
}
