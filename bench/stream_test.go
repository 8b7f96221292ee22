package bench

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkStream measures this machine's streaming floor for the bytes the
// kernels move at each size, so that a kernel's time at Huge can be read
// against it: op=read reads the bytes of x and t (what Sum reads; with
// bytes.IndexByte, which runs at memory speed in assembly), op=copy reads x
// and t and writes as many bytes (what LossGrad with a loss does, roughly:
// it writes two outputs). ns/elem is per float32 element, as in the kernels'
// benchmarks; compare with type=float32.
func BenchmarkStream(b *testing.B) {
	sizes, err := envSizes()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		in := bytes.Repeat([]byte{2}, 2*4*n) // x and t of n float32, written so that the pages are real
		out := make([]byte, len(in))
		copy(out, in) // fault the output's pages in before the timing
		b.Run(fmt.Sprintf("op=read/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if bytes.IndexByte(in, 1) >= 0 {
					b.Fatal("the buffer holds a 1")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
		})
		b.Run(fmt.Sprintf("op=copy/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(2 * len(in)))
			for b.Loop() {
				copy(out, in)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
		})
	}
}
