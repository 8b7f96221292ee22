package model

import "math"

// The float32 rows' epilogue in lanes: SoftmaxEpi32 for a block of up to
// SoftmaxEpiRows rows at once, one row per float64 lane, as impl/asm's
// softmaxEpi32 kernels compute it (its generator's _asm/softmax_epi.go),
// operation for operation. It takes γ ∈ {0, 0.5, 1, 1.5, 2} (q^γ by
// products and a square root) and
// every row but the special ones (a NaN among o, E_c and x_c, a weight·α of
// 0 or above SoftmaxEpi32's limit, m = +Inf or x_c = -Inf), which it flags
// for SoftmaxEpi32's scalar code. Per lane, with O = o·2^-64, E_c likewise:
//
//	right = x_c = m
//	a     = right ? O : (O - 1) + E_c      S + E_c, the other classes' sum
//	Z     = right ? 1 + O : O + E_c
//	u     = 1 + a, c = (a - (u - 1))/u     1 + a = u·(1 + c) to first order
//	l     = (m - x_c) + (hi + (lo + c))    -log p_c: hi + lo = log u (logHL64)
//	q     = O·(1/Z)                        1 - p_c
//	ratio = right ? l/O (1 if O = 0) : E_c·l/O (0 if E_c/Z = 0)
//	mod   = 1, √q, q, q·√q or q·q        (√q correctly rounded)
//	loss  = (wa·mod)·l,  b = mod·(1 + γ·ratio)
//	f     = (wa·b)·(1/Z),  g_c = -((wa·b)·q)
//
// log u's hi + lo is within about 2^-57 absolute, and relative to log u
// near u = 1 (k = 0 there); l is above ln2 in a wrong row (p_c < 1/2), so
// every relative error stays a few units of 2^-53, as math.Log1p's did.
// The lanes give the same bits as SoftmaxEpi32 wherever both take a row
// (TestSoftmaxEpiLanes), and impl/asm's kernels the same bits as
// SoftmaxEpiLanes32 (kerneltest.SoftmaxAgree).

// SoftmaxEpiRows is the number of rows in a block of the epilogue's lanes.
const SoftmaxEpiRows = 8

// A block's inputs and outputs, each field SoftmaxEpiRows float64s (row i's
// field k at k+i): the inputs x_c, m (widened from float32), o, E_c (the
// lanes' O' and E'_c, scaled by 2^64) and wa = weight·α_c; the outputs
// loss (unrounded), f and g_c. The lanes take them by value: a pointer to
// the caller's stack through a func value would move the block to the heap.
const (
	EpiXC = iota * SoftmaxEpiRows
	EpiM
	EpiO
	EpiEC
	EpiWA
	SoftmaxEpiInLen
)

const (
	EpiLoss = iota * SoftmaxEpiRows
	EpiF
	EpiGC
	SoftmaxEpiOutLen
)

// SoftmaxEpiIn and SoftmaxEpiOut are a block's inputs and outputs: aliases,
// so that packages the model's tests import (kerneltest) can name them.
type (
	SoftmaxEpiIn  = [SoftmaxEpiInLen]float64
	SoftmaxEpiOut = [SoftmaxEpiOutLen]float64
)

// SoftmaxEpiLimit is SoftmaxEpi32's limit on wa·(1+γ), past which the
// stored exps' scaling would leave a gradient without its digits.
const SoftmaxEpiLimit = 0x1p38

// SoftmaxEpiLaneGamma reports whether the lanes take γ.
func SoftmaxEpiLaneGamma(gamma float64) bool {
	return gamma == 0 || gamma == 0.5 || gamma == 1 || gamma == 1.5 || gamma == 2
}

// softmaxEpiSpecial reports whether a row is left to SoftmaxEpi32's scalar
// code: the lanes' compares, in their order.
func softmaxEpiSpecial(xc, m, o, ec, wa, gamma float64) bool {
	return o != o || ec != ec || xc != xc || wa == 0 || float64(wa*(1+gamma)) > SoftmaxEpiLimit ||
		m > math.MaxFloat64 || xc < -math.MaxFloat64
}

// softmaxEpiLane computes one row of the lanes (not a special one).
func softmaxEpiLane(xc, m, o, ec, wa, gamma float64) (loss, f, gc float64) {
	const unscale = 0x1p-64
	O, Ec := mul64(o, unscale), mul64(ec, unscale)
	right := xc == m
	a, z := (O-1)+Ec, O+Ec
	if right {
		a, z = O, 1+O
	}
	u := 1 + a
	c := (a - (u - 1)) / u
	hi, lo := logHL64(u)
	l := (m - xc) + (hi + (lo + c))
	invZ := 1 / z
	q := mul64(O, invZ)
	num := mul64(Ec, l)
	if right {
		num = l
	}
	ratio := num / O
	switch {
	case right && O == 0:
		ratio = 1
	case !right && mul64(Ec, invZ) == 0:
		ratio = 0
	}
	mod := 1.0
	switch gamma {
	case 0.5:
		mod = math.Sqrt(q)
	case 1:
		mod = q
	case 1.5:
		mod = mul64(q, math.Sqrt(q))
	case 2:
		mod = mul64(q, q)
	}
	loss = mul64(mul64(wa, mod), l)
	wb := mul64(wa, mul64(mod, 1+mul64(gamma, ratio))) // ratio is finite: mod at γ = 0
	return loss, mul64(wb, invZ), -mul64(wb, q)
}

// SoftmaxEpiLanes32 is the lanes' epilogue of a block (every one of its
// SoftmaxEpiRows lanes; the caller reads the rows it filled) at γ ∈ {0,
// 0.5, 1, 1.5, 2}: the outputs, and the special rows as bits (row i at 1<<i), whose
// outputs are not set.
func SoftmaxEpiLanes32(in SoftmaxEpiIn, gamma float64) (out SoftmaxEpiOut, special uint) {
	for i := range SoftmaxEpiRows {
		xc, m, o, ec, wa := in[EpiXC+i], in[EpiM+i], in[EpiO+i], in[EpiEC+i], in[EpiWA+i]
		if softmaxEpiSpecial(xc, m, o, ec, wa, gamma) {
			special |= 1 << i
			continue
		}
		out[EpiLoss+i], out[EpiF+i], out[EpiGC+i] = softmaxEpiLane(xc, m, o, ec, wa, gamma)
	}
	return out, special
}
