package props

import (
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/kit"
)

// FuzzKernelsAgree is focaltest.Fuzz over every kernel that runs here, both
// element types: each against stable (agree-stable), LossGrad's loss against
// Loss (lossgrad-loss-exact) and Sum against the losses (sum-vs-loss,
// sum-concat), within its declared bar, on decoded cases.
func FuzzKernelsAgree(f *testing.F) {
	seeds, err := kit.Seeds()
	if err != nil {
		f.Fatal(err)
	}
	fuzzEveryKernel(f, seeds, kit.DecodeCase,
		focal.BarOf[float32], focal.BarOf[float64], kit.Fuzz[float32], kit.Fuzz[float64])
}

// FuzzChecked feeds the checked API (Loss, Sum, Mean, LossGrad) arbitrary
// input for both element types: it must return an error wrapping the sentinel
// of a problem the input has, writing nothing, or the answer Best gives, and
// never panic.
func FuzzChecked(f *testing.F) {
	fuzzBoth(f, [][]byte{
		{},
		{3, 0, 16, 32, 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0xbf, 0, 0, 0, 0, 0, 100, 200},
		{2, 1, 3, 16, 32, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0xc0, 0x7f},
		{2, 32, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x40},
	}, kit.DecodeChecked, kit.CheckChecked[float32], kit.CheckChecked[float64])
}

// fuzzBoth adds seeds to f's corpus and fuzzes, on every input decoded, the
// float32 check and then the float64 one; each returns "" or what failed.
func fuzzBoth[In any](f *testing.F, seeds [][]byte, decode func([]byte) In, check32, check64 func(In) string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := decode(data)
		for _, check := range []func(In) string{check32, check64} {
			if msg := check(in); msg != "" {
				t.Fatal(msg)
			}
		}
	})
}

// fuzzEveryKernel is fuzzBoth of a form's check on every kernel that runs
// here, of each element type, each within its bar by barOf32 or barOf64.
func fuzzEveryKernel[C, K32, K64 any](f *testing.F, seeds [][]byte, decode func([]byte) C,
	barOf32, barOf64 func(name string) (focal.Bar, bool),
	check32 func(K32, C, focal.Bar) string, check64 func(K64, C, focal.Bar) string) {
	fuzzBoth(f, seeds, decode, everyKernel[float32](barOf32, check32), everyKernel[float64](barOf64, check64))
}

// everyKernel returns the check of a decoded case c on every kernel of
// element type F that runs here, in the form K (focal.Kernel, RowsKernel or
// SoftmaxKernel of F, which every kernel implements), each within its bar
// by barOf: the first failure, or "".
func everyKernel[F focal.Float, K, C any](barOf func(name string) (focal.Bar, bool), check func(k K, c C, bar focal.Bar) string) func(C) string {
	return func(c C) string {
		for _, k := range focal.Kernels[F]() {
			bar, _ := barOf(k.Name())
			if msg := check(any(k).(K), c, bar); msg != "" {
				return msg
			}
		}
		return ""
	}
}
