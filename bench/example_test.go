package bench_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
)

// mine is an outside kernel: here the stable kernel under another name,
// noting the points it is timed at.
type mine struct {
	focal.Kernel[float32]
	seen *[]string
}

func (mine) Name() string { return "mine" }

func (m mine) Sum(x, t []float32, p focal.Params) float64 {
	pt := bench.Name(m.Name(), len(x), p.Gamma, bench.Smooth, "float32")
	if !slices.Contains(*m.seen, pt) {
		*m.seen = append(*m.seen, pt)
	}
	return m.Kernel.Sum(x, t, p)
}

// A kernel of your own is timed beside this module's, under the same
// sub-benchmark names. In your package's test:
//
//	func BenchmarkSum(b *testing.B) {
//		stable, _ := focal.Lookup[float32]("stable")
//		bench.Sum(b, stable, myKernel{})
//	}
//
// then go test -bench Sum -count 10 > new.txt, and go tool benchstat -col
// /kernel new.txt (or focal choose new.txt) puts them side by side, stable
// as the base. Here testing.Benchmark runs the same outside go test -bench,
// on one size and target kind, and the kernel notes the points it was timed at.
func ExampleSum() {
	os.Setenv("FOCAL_BENCH_N", "1Ki")
	os.Setenv("FOCAL_BENCH_TARGETS", "smooth")
	defer os.Unsetenv("FOCAL_BENCH_N")
	defer os.Unsetenv("FOCAL_BENCH_TARGETS")
	stable, _ := focal.Lookup[float32]("stable")
	var seen []string
	testing.Benchmark(func(b *testing.B) { bench.Sum(b, mine{stable, &seen}) })
	for _, s := range seen {
		fmt.Println(s)
	}
	// Output:
	// kernel=mine/n=1024/gamma=2/targets=smooth/type=float32
	// kernel=mine/n=1024/gamma=1.5/targets=smooth/type=float32
}
