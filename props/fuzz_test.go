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
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := kit.DecodeCase(data)
		fuzzAll[float32](t, c)
		fuzzAll[float64](t, c)
	})
}

func fuzzAll[F focal.Float](t *testing.T, c kit.Case) {
	for _, k := range focal.Kernels[F]() {
		bar, _ := focal.BarOf[F](k.Name())
		if msg := kit.Fuzz(k, c, bar); msg != "" {
			t.Fatal(msg)
		}
	}
}

// FuzzChecked feeds the checked API (Loss, Sum, Mean, LossGrad) arbitrary
// input for both element types: it must return an error wrapping the sentinel
// of a problem the input has, writing nothing, or the answer Best gives, and
// never panic.
func FuzzChecked(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 0, 16, 32, 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0xbf, 0, 0, 0, 0, 0, 100, 200})
	f.Add([]byte{2, 1, 3, 16, 32, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0xc0, 0x7f})
	f.Add([]byte{2, 32, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := kit.DecodeChecked(data)
		for _, msg := range []string{kit.CheckChecked[float32](in), kit.CheckChecked[float64](in)} {
			if msg != "" {
				t.Fatal(msg)
			}
		}
	})
}
