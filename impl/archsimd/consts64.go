//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/model"
)

// The float64 kernels' constants, by index into k64 (see consts32.go): the
// model's (model.ElemHard64's, impl/asm's float64 lanes').
const (
	jOne = iota
	jMone
	jHalf
	jMhalf
	jSign
	jExpLo
	jLoMax
	jLoMin
	jLog2e
	jNln2hi
	jNln2lo
	jLn2hi
	jLn2lo
	jSqrt2
	jMzLo
	jMaxf
	jSmLo32 // the softmax lanes' clamps and scale exponents (model.SoftmaxLo32, …)
	jSmLo64
	jSmBias32
	jSmBias64
	jSmNln2
	// model.Magic64 and ebias(64), ebias(512): the softmax lanes'
	// one-product scaling (scaleBy64AVX2), loaded as vectors, not made from
	// scalar float constants (legacy SSE beside dirty upper halves)
	jMagic
	jSmEb32
	jSmEb64
	// the epilogue's lanes (softmaxEpi32AVX2): log's exponent and
	// mantissa, the special rows' bounds, γ = 2 and 1.5, the exps' scale
	jTwo52
	jTwo52bias
	jMantMask
	jEpiLimit
	jTwo
	jOneHalf
	jPinf
	jMinf
	jUnscale32
	jQ0                               // exp's Q(r), highest degree first (model.ExpPoly64)
	jP0  = jQ0 + len(model.ExpPoly64) // log's P(f), highest degree first (model.LogPoly64)
	nk64 = jP0 + len(model.LogPoly64)
)

var k64 = func() [nk64]float64 {
	k := [nk64]float64{
		jOne: 1, jMone: -1, jHalf: 0.5, jMhalf: -0.5,
		jSign:  math.Float64frombits(model.SignBit64),
		jExpLo: model.ExpLo64, jLoMax: model.LoMax, jLoMin: model.LoMin, jLog2e: model.Log2e64,
		jNln2hi: -model.Ln2hi64, jNln2lo: -model.Ln2lo64, jLn2hi: model.Ln2hi64, jLn2lo: model.Ln2lo64,
		jSqrt2: model.Sqrt2f64, jMzLo: model.MzLo64, jMaxf: math.MaxFloat64,
		jSmLo32: model.SoftmaxLo32, jSmLo64: model.SoftmaxLo64,
		jSmBias32: model.SoftmaxScale32Exp, jSmBias64: model.SoftmaxScale64Exp, jSmNln2: -model.SoftmaxLn2,
		jMagic: model.Magic64, jSmEb32: ebias(model.SoftmaxScale32Exp), jSmEb64: ebias(model.SoftmaxScale64Exp),
		jTwo52: 0x1p52, jTwo52bias: 0x1p52 + 1023, jMantMask: math.Float64frombits(1<<52 - 1),
		jEpiLimit: model.SoftmaxEpiLimit, jTwo: 2, jOneHalf: 1.5, jPinf: math.Inf(1), jMinf: math.Inf(-1),
		jUnscale32: math.Ldexp(1, -model.SoftmaxScale32Exp),
	}
	copy(k[jQ0:], model.ExpPoly64[:])
	copy(k[jP0:], model.LogPoly64[:])
	return k
}()

// ebias returns, as a float64's bits, 2^(k+s)'s biased exponent less k,
// less Magic64's bits: added as an integer to the bits of k + Magic64 it
// gives 2^(k+s)'s exponent field (mod 2^64).
func ebias(s int) float64 {
	return math.Float64frombits(uint64(s) + 1023 - math.Float64bits(model.Magic64))
}

// A call's float64 parameters, by index into a level's bcast64 array.
const (
	pA1 = iota
	pA0
	pA1lo
	pA0lo
	pG
	pNg
	nb64
)

// values64 returns p's values by index.
func values64(p *model.Params64) [nb64]float64 {
	return [nb64]float64{pA1: p.A1, pA0: p.A0, pA1lo: p.A1lo, pA0lo: p.A0lo, pG: p.G, pNg: -p.G}
}
