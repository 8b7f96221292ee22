package bench

import (
	"math/rand/v2"

	"github.com/focalkernels/focal"
)

// Alpha is the α of every benchmark: RetinaNet's default.
const Alpha = 0.25

// PositiveRate is the fraction of targets that are 1 in the benchmark data.
const PositiveRate = 1.0 / 64

// Data returns n logits from N(0, 4²) and n hard targets (1 with probability
// PositiveRate), the same for every call with the same n and element type.
func Data[F focal.Float](n int) (x, t []F) {
	r := rand.New(rand.NewPCG(0xf0ca1, uint64(n)))
	x = make([]F, n)
	t = make([]F, n)
	for i := range x {
		x[i] = F(4 * r.NormFloat64())
		if r.Float64() < PositiveRate {
			t[i] = 1
		}
	}
	return x, t
}
