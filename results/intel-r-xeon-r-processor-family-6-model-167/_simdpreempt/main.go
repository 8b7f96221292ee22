// Command simdpreempt times scalar float64 code, a loop of math.Exp and
// math.Log1p and the stable kernel's Sum, eight times over 1Mi elements. Run
// it built with GOEXPERIMENT=simd, with and without
// GODEBUG=asyncpreemptoff=1 (simdpreempt.txt beside it holds both runs).
//
// In such a build, Go 1.26's runtime saves and restores the vector
// registers' full width (Y or Z) around an asynchronous preemption
// (runtime/preempt_amd64.s), and returns to the preempted code with the
// upper halves in use. Go compiles scalar float code to SSE instructions,
// which an Intel core then runs with a false dependency on those upper
// halves until a VZEROUPPER: the same loop takes from 1 to 50 times as long,
// depending on where the preemptions fall. Without the experiment, or
// without asynchronous preemption, it does not.
package main

import (
	"fmt"
	"math"
	"time"

	"github.com/focalkernels/focal"
)

func main() {
	const n = 1 << 20
	x, t := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(i%64)/4 - 8
		t[i] = float64(i % 2)
	}
	var stable focal.Kernel[float64]
	for _, k := range focal.Kernels[float64]() {
		if k.Name() == "stable" {
			stable = k
		}
	}
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	for _, c := range []struct {
		name string
		run  func() float64
	}{
		{"math.Log1p(math.Exp(-|x|))", func() float64 {
			s := 0.0
			for _, v := range x {
				s += math.Log1p(math.Exp(-math.Abs(v)))
			}
			return s
		}},
		{"stable Sum", func() float64 { return stable.Sum(x, t, p) }},
	} {
		fmt.Printf("%-28s", c.name)
		for range 8 {
			start := time.Now()
			c.run()
			fmt.Printf(" %7.1fms", float64(time.Since(start).Microseconds())/1000)
		}
		fmt.Println()
	}
}
