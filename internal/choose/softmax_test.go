package choose

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestSoftmaxKeys: the softmax benchmarks' names (bench.SoftmaxName: n rows
// and c classes) group by c and the other keys, and are decided by n, so
// that focal choose covers the form: here "lanes" is faster at c=80 and
// "scalar" at c=3, by construction.
func TestSoftmaxKeys(t *testing.T) {
	text := benchRuns(8, func(w io.Writer, i int) {
		for _, c := range []struct {
			c             int
			lanes, scalar float64
		}{{3, 900, 500}, {80, 1000, 9000}} {
			for _, k := range []struct {
				name string
				ns   float64
			}{{"lanes", c.lanes}, {"scalar", c.scalar}} {
				fmt.Fprintf(w, "BenchmarkSoftmaxSum/kernel=%s/n=8192/c=%d/gamma=2/targets=random/type=float32-2 100 %.0f ns/op\n", k.name, c.c, k.ns+float64(i))
			}
		}
	})
	r := readGroups(t, "softmax", text, 2, "one per c")
	for _, g := range r.Groups {
		want := "scalar"
		if strings.Contains(g.Name, "c=80") {
			want = "lanes"
		}
		if d := g.Decisions; len(d) != 1 || d[0].Size != "8192" || d[0].Fastest().Name != want {
			t.Errorf("%s: %+v, want %s fastest at n=8192", g.Name, d, want)
		}
	}
	// ns/elem is per logit: ns/op over n·c (the median, 1003.5 ns, over 8192·80; 503.5 over 8192·3)
	var out strings.Builder
	if err := r.Write(&out); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"0.001531", "0.02049"} {
		if !strings.Contains(out.String(), v) {
			t.Errorf("output lacks ns/elem %s:\n%s", v, out.String())
		}
	}
}
