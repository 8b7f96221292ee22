//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The AVX2 level's rows kernels: kernel32AVX2 and kernel64AVX2 in the rows
// form (kRows), whose per-vector inputs these functions make from the call's
// labels and tables (impl/asm's _asm/rows.go documents the algorithm; rows.go
// here the Go side). For a vector starting at row n0, class c0, lane i is
// element (n0 + Ro[c0+i], Cls[c0+i]): its label is labels[n0:]'s lanes
// permuted by Ro[c0:], it is positive where that label is Cls[c0+i] and
// ignored where it is negative, and its class α and weight are loaded (or
// permuted) the same way. The loads reach W labels (and per-row weights)
// past n0 and W table entries past c0, which rows.Run keeps within the
// slices and tables. The AVX-512 kernels are this file with the level's
// name replaced (gen.go).

// rows32AVX2 runs operation o of the float32 rows kernel at γ mode mode
// (model.Mode2 or ModeGen) on rc's call: out1 is Loss's dst or LossGrad's
// loss (or its grad, which the kernel then writes last), out2 LossGrad's
// grad. ok is false if a lane was left to the model or a float32 block sum
// overflowed.
func rows32AVX2(o, mode int, out1, out2, x []float32, p *model.Params32, rc *rowsCall[float32]) (sum float64, ok bool) {
	var clean bool
	switch {
	case o == rows.OpLoss && mode == model.Mode2:
		sum, clean, ok = kernel32AVX2[kLoss, kMode2, kRows](out1, nil, x, nil, p, rc)
	case o == rows.OpLoss:
		sum, clean, ok = kernel32AVX2[kLoss, kModeGen, kRows](out1, nil, x, nil, p, rc)
	case o == rows.OpSum && mode == model.Mode2:
		sum, clean, ok = kernel32AVX2[kSum, kMode2, kRows](nil, nil, x, nil, p, rc)
	case o == rows.OpSum:
		sum, clean, ok = kernel32AVX2[kSum, kModeGen, kRows](nil, nil, x, nil, p, rc)
	case mode == model.Mode2:
		sum, clean, ok = kernel32AVX2[kLossGrad, kMode2, kRows](out1, out2, x, nil, p, rc)
	default:
		sum, clean, ok = kernel32AVX2[kLossGrad, kModeGen, kRows](out1, out2, x, nil, p, rc)
	}
	return sum, clean && ok
}

// rows64AVX2 is rows32AVX2 for float64 (hard targets only).
func rows64AVX2(o, mode int, out1, out2, x []float64, p *model.Params64, rc *rowsCall[float64]) (sum float64) {
	switch {
	case o == rows.OpLoss && mode == model.Mode2:
		sum, _ = kernel64AVX2[kLoss, kMode2, kRows](out1, nil, x, nil, p, rc)
	case o == rows.OpLoss:
		sum, _ = kernel64AVX2[kLoss, kModeGen, kRows](out1, nil, x, nil, p, rc)
	case o == rows.OpSum && mode == model.Mode2:
		sum, _ = kernel64AVX2[kSum, kMode2, kRows](nil, nil, x, nil, p, rc)
	case o == rows.OpSum:
		sum, _ = kernel64AVX2[kSum, kModeGen, kRows](nil, nil, x, nil, p, rc)
	case mode == model.Mode2:
		sum, _ = kernel64AVX2[kLossGrad, kMode2, kRows](out1, out2, x, nil, p, rc)
	default:
		sum, _ = kernel64AVX2[kLossGrad, kModeGen, kRows](out1, out2, x, nil, p, rc)
	}
	return sum
}

// rowLabels32AVX2 returns which lanes of the vector at rw are positive
// (their row's label is their class) and which are in ignored rows.
func rowLabels32AVX2(rc *rowsCall[float32], rw rowWalk) (pos, ign m32AVX2) {
	ta := &rc.a.Tab
	lab := permI32AVX2(loadI32AVX2(rc.labels[rw.n0:]), loadI32AVX2(ta.Ro[rw.c0:]))
	return lab.Equal(loadI32AVX2(ta.Cls[rw.c0:])), lab.Less(i32AVX2{})
}

// rowAlpha32AVX2 returns the class α of the lanes of the vector at rw: α_t
// for t = 1 and t = 0, hi and lo.
func rowAlpha32AVX2(ta *rows.Tab[float32], rw rowWalk) (a1, a0, a1lo, a0lo f32AVX2) {
	c := rw.c0
	return load32AVX2(ta.A1[c:][:lanes32AVX2]), load32AVX2(ta.A0[c:][:lanes32AVX2]),
		load32AVX2(ta.A1lo[c:][:lanes32AVX2]), load32AVX2(ta.A0lo[c:][:lanes32AVX2])
}

// rowWeights32AVX2 returns the weights of the lanes of the whole vector at
// rw, which starts at element i: 1 without weights, its rows' weights
// (permuted as the labels) or its elements'.
func rowWeights32AVX2(rc *rowsCall[float32], rw rowWalk, i int) f32AVX2 {
	switch rc.wmode {
	case rows.WeightRow:
		return permF32AVX2(load32AVX2(rc.w[rw.n0:][:lanes32AVX2]), loadI32AVX2(rc.a.Tab.Ro[rw.c0:]))
	case rows.WeightElem:
		return load32AVX2(rc.w[i:][:lanes32AVX2])
	}
	return c32AVX2(kOne)
}

// weigh32AVX2 returns v·w, and 0 where w is 0 (rows.Weigh) or the lane's
// row is ignored. Where w is 1 it is v, bit for bit.
func weigh32AVX2(v, w f32AVX2, ign m32AVX2) f32AVX2 {
	var zero f32AVX2
	return zero.Merge(zero.Merge(v.Mul(w), w.Equal(zero)), ign)
}

// rowSkip32AVX2 writes the zeros of a vector whose rows are all ignored
// into the outputs of O, elements [i, j).
func rowSkip32AVX2[O opKind](loss, grad []float32, i, j int) {
	op := opOf[O]()
	if op == opSum {
		return
	}
	var zero f32AVX2
	if j-i == lanes32AVX2 {
		store32AVX2(zero, loss[i:j])
		if op == opLossGrad {
			store32AVX2(zero, grad[i:j])
		}
		return
	}
	storePart32AVX2(zero, loss[i:j])
	if op == opLossGrad {
		storePart32AVX2(zero, grad[i:j])
	}
}

// rowLabels64AVX2 is rowLabels32AVX2 for float64 lanes.
func rowLabels64AVX2(rc *rowsCall[float64], rw rowWalk) (pos, ign m64AVX2) {
	ta := &rc.a.Tab
	lab, cls := rowLab64AVX2(rc.labels[rw.n0:], ta.Ro[rw.c0:], ta.Cls[rw.c0:])
	return lab.Equal(cls), lab.Less(i64AVX2{})
}

// rowAlpha64AVX2 is rowAlpha32AVX2 for float64 lanes.
func rowAlpha64AVX2(ta *rows.Tab[float64], rw rowWalk) (a1, a0, a1lo, a0lo f64AVX2) {
	c := rw.c0
	return load64AVX2(ta.A1[c:][:lanes64AVX2]), load64AVX2(ta.A0[c:][:lanes64AVX2]),
		load64AVX2(ta.A1lo[c:][:lanes64AVX2]), load64AVX2(ta.A0lo[c:][:lanes64AVX2])
}

// rowWeights64AVX2 is rowWeights32AVX2 for float64 lanes: per-row weights
// permuted as pairs of 32-bit lanes by Ro2.
func rowWeights64AVX2(rc *rowsCall[float64], rw rowWalk, i int) f64AVX2 {
	switch rc.wmode {
	case rows.WeightRow:
		return permRowW64AVX2(rc.w[rw.n0:], rc.a.Tab.Ro2[2*rw.c0:])
	case rows.WeightElem:
		return load64AVX2(rc.w[i:][:lanes64AVX2])
	}
	return c64AVX2(jOne)
}

// weigh64AVX2 is weigh32AVX2 for float64 lanes.
func weigh64AVX2(v, w f64AVX2, ign m64AVX2) f64AVX2 {
	var zero f64AVX2
	return zero.Merge(zero.Merge(v.Mul(w), w.Equal(zero)), ign)
}

// rowSkip64AVX2 is rowSkip32AVX2 for float64 lanes.
func rowSkip64AVX2[O opKind](loss, grad []float64, i, j int) {
	op := opOf[O]()
	if op == opSum {
		return
	}
	var zero f64AVX2
	if j-i == lanes64AVX2 {
		store64AVX2(zero, loss[i:j])
		if op == opLossGrad {
			store64AVX2(zero, grad[i:j])
		}
		return
	}
	storePart64AVX2(zero, loss[i:j])
	if op == opLossGrad {
		storePart64AVX2(zero, grad[i:j])
	}
}
