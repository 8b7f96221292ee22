//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

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
	kMtwo    // the general form's (general32.go) from here on
	kLn2hi16 // log A's ln2 split: k·ln2hi16 exact
	kLn2lo16
	kFlagTiny // the degenerate lanes left to float64
	kFlagHuge
	kSoftFlag // the band of flagged gradients
	kSoftNear
	kSoftFloor
	kMant // a float32's fraction bits, as a float32's bits
	kBias // 127, as a float32's bits
	kOnes // all bits set
	nk32
)

var k32 = [nk32]float32{
	kOne: 1, kMone: -1, kHalf: 0.5, kMhalf: -0.5,
	kSign:  math.Float32frombits(signBit32),
	kExpLo: expLo32, kLoMax: loMax32, kLoMin: loMin32, kLog2e: log2e32,
	kNln2hi: -ln2hi32, kNln2lo: -ln2lo32, kLn2hi: ln2hi32, kLn2lo: ln2lo32,
	kSqrt2: sqrt2f32, kMzLo: mzLo32, kMaxf: math.MaxFloat32, kInf: float32(math.Inf(1)),
	kEp0: ep0, kEp1: ep1, kEp2: ep2, kEp3: ep3, kEp4: ep4, kEp5: ep5,
	kLp0: lp0, kLp1: lp1, kLp2: lp2, kLp3: lp3, kLp4: lp4, kLp5: lp5, kLp6: lp6, kLp7: lp7, kLp8: lp8,
	kMtwo: -2, kLn2hi16: ln2hi16, kLn2lo16: ln2lo16, kFlagTiny: flagTiny, kFlagHuge: flagHuge,
	kSoftFlag: softFlag, kSoftNear: softNear, kSoftFloor: softFloor,
	kMant: math.Float32frombits(mantMask), kBias: math.Float32frombits(127),
	kOnes: math.Float32frombits(0xffffffff),
}

// A call's parameters, by index into a level's bcast32 array (splat on the
// stack once per call, loaded where used).
const (
	bA1 = iota
	bA0
	bA1lo
	bA0lo
	bG
	bNg // -γ: the exact product errors as fma(γ, v, -γ·v)
	bGlo
	nb32
)

func (p *params32) values() [nb32]float32 {
	return [nb32]float32{bA1: p.a1, bA0: p.a0, bA1lo: p.a1lo, bA0lo: p.a0lo, bG: p.g, bNg: -p.g, bGlo: p.glo}
}
