//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

// The float64 kernels' constants, by index into k64 (see consts32.go).
const (
	jOne = iota
	jMone
	jHalf
	jMhalf
	jTwo
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
	jEq0
	jEq1
	jEq2
	jEq3
	jEq4
	jEq5
	jEq6
	jEq7
	jEq8
	jEq9
	jEq10
	jEq11
	jLg1
	jLg2
	jLg3
	jLg4
	jLg5
	jLg6
	jLg7
	nk64
)

var k64 = [nk64]float64{
	jOne: 1, jMone: -1, jHalf: 0.5, jMhalf: -0.5, jTwo: 2,
	jSign:  math.Float64frombits(signBit64),
	jExpLo: expLo64, jLoMax: loMax64, jLoMin: loMin64, jLog2e: log2e64,
	jNln2hi: -ln2hi64, jNln2lo: -ln2lo64, jLn2hi: ln2hi64, jLn2lo: ln2lo64,
	jSqrt2: sqrt2f64, jMzLo: mzLo64, jMaxf: math.MaxFloat64,
	jEq0: eq0, jEq1: eq1, jEq2: eq2, jEq3: eq3, jEq4: eq4, jEq5: eq5,
	jEq6: eq6, jEq7: eq7, jEq8: eq8, jEq9: eq9, jEq10: eq10, jEq11: eq11,
	jLg1: lg1, jLg2: lg2, jLg3: lg3, jLg4: lg4, jLg5: lg5, jLg6: lg6, jLg7: lg7,
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

func (p *params64) values() [nb64]float64 {
	return [nb64]float64{pA1: p.a1, pA0: p.a0, pA1lo: p.a1lo, pA0lo: p.a0lo, pG: p.g, pNg: -p.g}
}

// magic64 is 1.5·2^52: k + magic64 holds the integer k in its low bits
// (AVX2 has no conversion of float64 to int64).
const magic64 = 0x1.8p52
