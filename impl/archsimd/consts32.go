//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The float32 kernels' constants, by index into k32: each level keeps a table
// of them splat across its lanes (tab32AVX2, tab32AVX512) and loads a row
// where an operation needs one, as impl/asm's memory operands do: a load, not
// a broadcast on the vector pipes.
const (
	kOne = iota
	kMone
	kHalf
	kMhalf
	kSign // -0: the sign bit alone
	kExpLo
	kLoMax
	kLoMin
	kLog2e
	kNln2hi // -ln2hi32, -ln2lo32: exp's reduction as fma(k, -ln2hi, h)
	kNln2lo
	kLn2hi
	kLn2lo
	kSqrt2
	kMzLo
	kMaxf
	kInf
	kEp0
	kEp1
	kEp2
	kEp3
	kEp4
	kEp5
	kLp0
	kLp1
	kLp2
	kLp3
	kLp4
	kLp5
	kLp6
	kLp7
	kLp8
	kMtwo    // the general form's (model.ElemGen32) from here on
	kLn2hi16 // log A's ln2 split: k·ln2hi16 exact
	kLn2lo16
	kFlagTiny // the degenerate lanes left to float64
	kTwoMin   // the two-valued body's least target (rows.TwoMin)
	kSoftFlag // the band of flagged gradients
	kSoftNear
	kSoftFloor
	kMant // a float32's fraction bits, as a float32's bits
	kBias // 127, as a float32's bits
	kOnes // all bits set
	nk32
)

var k32 = func() [nk32]float32 {
	k := [nk32]float32{
		kOne: 1, kMone: -1, kHalf: 0.5, kMhalf: -0.5,
		kSign:  math.Float32frombits(model.SignBit32),
		kExpLo: model.ExpLo32, kLoMax: model.LoMax, kLoMin: model.LoMin, kLog2e: model.Log2e32,
		kNln2hi: -model.Ln2hi32, kNln2lo: -model.Ln2lo32, kLn2hi: model.Ln2hi32, kLn2lo: model.Ln2lo32,
		kSqrt2: model.Sqrt2f32, kMzLo: model.MzLo32, kMaxf: math.MaxFloat32, kInf: float32(math.Inf(1)),
		kMtwo: -2, kLn2hi16: model.Ln2hi16, kLn2lo16: model.Ln2lo16, kFlagTiny: model.FlagTiny32, kTwoMin: rows.TwoMin[float32](),
		kSoftFlag: model.SoftFlag, kSoftNear: model.SoftNear, kSoftFloor: model.SoftFloor,
		kMant: math.Float32frombits(model.MantMask32), kBias: math.Float32frombits(127),
		kOnes: math.Float32frombits(0xffffffff),
	}
	copy(k[kEp0:], model.ExpPoly32[:])
	copy(k[kLp0:], model.LogPoly32[:])
	return k
}()

// A call's parameters, by index into a level's bcast32 array (splat on the
// stack once per call, loaded where used).
const (
	bA1 = iota
	bA0
	bA1lo
	bA0lo
	bG
	bNg  // -γ: the exact product errors as fma(γ, v, -γ·v)
	bNg2 // -2γ: the general form's γ(1-2t) = fma(t, -2γ, γ)
	bGlo
	bD   // the flat two-valued body's slope A1 - A0 (model.TwoSlope32)
	bDlo // and its low part
	nb32
)

// values32 returns p's values by index.
func values32(p *model.Params32) [nb32]float32 {
	d, dlo := model.TwoSlope32(p)
	return [nb32]float32{bA1: p.A1, bA0: p.A0, bA1lo: p.A1lo, bA0lo: p.A0lo, bG: p.G, bNg: -p.G, bNg2: -2 * p.G, bGlo: p.Glo,
		bD: d, bDlo: dlo}
}
