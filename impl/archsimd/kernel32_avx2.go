//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The AVX2 level's float32 kernel: kernel32AVX2, the loop over a call's
// vectors in the flat and the rows forms, with the hard form's body inline
// and a step of the general form (general32_avx2.go) for any other vector
// and for the last part, and flush32AVX2, which adds Sum's float32 blocks
// in float64.
//
// The kernels of one level, float32 and float64, written once for both: gen.go
// writes kernel32_avx512.go, pieces_avx512.go, general32_avx512.go,
// kernel64_avx512.go and bcast_avx512.go from their _avx2.go twins with the
// level's name replaced throughout, so that each names its own level's types
// and primitives (prims_avx2.go, prims_avx512.go), where everything that
// differs between the levels is.
//
// The kernels are the model's algorithm (impl/internal/model) lane by lane,
// the same operations in the same order: float32, the hard form
// (model.ElemHard32) for a vector whose targets are all 0 or 1, the general
// form (model.ElemGen32) for any other; float64, the hard form
// (model.ElemHard64: impl/asm's float64 lanes, exp of degree 13, log1p with a
// degree-19 polynomial), a vector with a soft target left to the caller,
// which computes its soft elements with the model's scalar general form.
// Where the model's fma has a negated operand (fma(-u, rcp, 1), fma(γ, v,
// -γ·v), fma(at, m, -at·m)), the negation is formed first (-1-e, -γ, a sign
// flip) and MulAdd used: archsimd has no FNMADD or FMSUB, and the rounding is
// the same. Where the model compares, the kernel selects: z = ±x and α_t = a1
// or a0 by t = 1. NaN must come out of a NaN logit: archsimd's Min and Max
// may take their operands in either order (the compiler treats them as
// commutative), so the one clamp that must keep a NaN (exp's argument) is a
// compare and a Merge instead.

// kernel32AVX2 runs operation O at γ mode M in form F over x and t: O =
// kLoss writes the loss of every lane into loss, kLossGrad the loss and then
// the gradient (loss may be grad), kSum returns the sum of the losses. A
// whole vector whose targets are all 0 or 1 takes the hard form
// (model.ElemHard32); any other, and the last part of the slices, the
// general form (gen32AVX2). clean is false if a lane was left to float64:
// its loss (or for kLossGrad its gradient) is NaN, and so is Sum's result,
// for the caller to redo. ok is false if a float32 lane of Sum's block sums
// overflowed. len(t), len(loss) and len(grad) must be len(x) (they are cut
// to it, so that a short one panics here).
//
// With F = kRows, t is nil and x holds whole rows of the call rk (see
// rows_avx2.go): each vector's targets, class α and weights come from rk's
// labels and tables, its results are weighted, and p gives γ alone. The
// rows' branches fold away in the flat instances, whose hard loop is
// unchanged.
func kernel32AVX2[O opKind, M modeKind, F formKind](loss, grad, x, t []float32, p *model.Params32, rk *rowsCall[float32]) (sum float64, clean, ok bool) {
	op, mode, inRows := opOf[O](), modeOf[M](), formOf[F]() == formRows
	var bp bcast32AVX2
	bp.set(p)
	n := len(x)
	var rw rowWalk // the rows' vector: row n0, class c0
	loss, grad, t = cutTo(n, op, inRows, loss, grad, t)
	var acc f32AVX2
	var acc64 w64AVX2
	blk, ovf, flagged := 0, uint32(0), uint32(0)
	// The hard vectors run in an inner loop with the hard form's operations
	// inline and no call, so that the registers it carries (the sums, the
	// indices) stay in registers: a call in the loop would have them stored
	// on every step. A vector with a soft target, and the last part of a
	// length that is not a multiple of the lanes, leave it for one step of
	// the general form, which gives a hard lane the hard form's results bit
	// for bit. The part loads and stores only its lanes: lanes past the end
	// load as x = 0, t = 0, and their results are neither stored nor summed.
	i := 0
	for {
		for ; i+lanes32AVX2 <= n; i += lanes32AVX2 {
			j := i + lanes32AVX2
			var zero f32AVX2
			one := c32AVX2(kOne)
			var h1, ign m32AVX2
			if inRows {
				if rk.a.Smooth {
					break // no hard lanes: the general form's step
				}
				h1, ign = rowLabels32AVX2(rk, rw)
				if ign.ToBits() == full32AVX2 {
					rowSkip32AVX2[O](loss, grad, i, j)
					rw = rk.next(rw)
					continue
				}
			} else {
				tv := load32AVX2(t[i:j])
				h1 = tv.Equal(one)
				if tv.Equal(zero).Or(h1).ToBits() != full32AVX2 {
					break
				}
			}
			xv := load32AVX2(x[i:j])
			var lv, gv f32AVX2
			sign := bits32AVX2(c32AVX2(kSign))
			sgn := sign.Masked(h1)                        // the sign of 1-2t, for a hard lane
			z := fromBits32AVX2(bits32AVX2(xv).Xor(sgn))  // z = ±x
			na := fromBits32AVX2(bits32AVX2(xv).Or(sign)) // -|z| = -|x|: the exp starts without t
			r, k := expArg32AVX2(na)
			ep, epLo := expPoly32AVX2(r)
			e, el := scale32AVX2(ep, epLo, k) // exp(-|z|) = e + el
			u := one.Add(e)
			rcp := one.Div(u)
			c := e.Sub(u.Sub(one)).Add(el).Mul(rcp)         // 1+e+el = u·(1+c)
			r1 := c32AVX2(kMone).Sub(e).MulAdd(rcp, one)    // fma(-u, rcp, 1): -u = -1-e exactly
			rc := rcp.MulAdd(r1.Sub(c), rcp)                // 1/(1+e+el)
			sn := e.MulAdd(rc, el.Mul(rc))                  // σ(-|z|)
			neg := bits32AVX2(z).Less(i32AVX2{})            // z's sign bit
			sz, snz := sn.Merge(rc, neg), rc.Merge(sn, neg) // σ(z), σ(-z)
			big := u.Greater(c32AVX2(kSqrt2))               // log(u): u/2 where u > √2, exactly
			f := u.MulAdd(c32AVX2(kHalf), c32AVX2(kMone)).Merge(u.Sub(one), big)
			l := logCore32AVX2(f, one.Masked(big), c)
			ce := z.Max(zero).Add(l) // CE = max(z,0) + L

			m, mLo := pow32AVX2(mode, sz) // m + mLo = σ(z)^γ
			if mode == model.ModeGen {
				// exp(γ·(min(z,0) - L)), the argument as hi+lo
				h, lo := gammaLog32AVX2(&bp, z.Min(zero).Max(c32AVX2(kMzLo)), l)
				r, k := expArg32AVX2(h)
				mp, mpLo := expPoly32AVX2(r.Add(clampLo32AVX2(lo)))
				m, _ = scale32AVX2(mp, mpLo, k)
			}
			at, atLo := alpha32AVX2(inRows, rk, rw, &bp, h1)
			// loss = α_t·m·CE rounded about once. At x = ±Inf with α_t = 0 this is
			// 0·Inf = NaN; the caller redoes those elements (model.FixZeroWeight32).
			lv, amh, aml := loss32AVX2(mode, mode == model.Mode2, at, atLo, m, mLo, ce)

			if op == opLossGrad {
				// grad = (1-2t)·α_t·m·(γ·σ(-z)·CE + σ(z))
				gv = grad32AVX2(mode, at, atLo, amh, aml, m, sz, snz, ce, bp.get(bG))
				gv = fromBits32AVX2(bits32AVX2(gv).Xor(sgn))
			}
			if inRows {
				wv := rowWeights32AVX2(rk, rw, i)
				lv = weigh32AVX2(lv, wv, ign)
				if op == opLossGrad {
					gv = weigh32AVX2(gv, wv, ign)
				}
				rw = rk.next(rw)
			}
			switch op {
			case opSum:
				acc = acc.Add(lv)
				if blk++; blk == blockVecs {
					acc64, ovf = flush32AVX2(acc, acc64, ovf)
					acc, blk = f32AVX2{}, 0
				}
			case opLoss:
				store32AVX2(lv, loss[i:j])
			default:
				store32AVX2(lv, loss[i:j])
				store32AVX2(gv, grad[i:j])
			}
		}
		if i >= n {
			break
		}
		j := i + lanes32AVX2
		whole := j <= n
		var xv, tv, a1, a0, a1lo, a0lo f32AVX2
		var ign, h1 m32AVX2
		if inRows {
			h1, ign = rowLabels32AVX2(rk, rw)
			if live := liveBits(n-i, full32AVX2); uint32(ign.ToBits())&live == live {
				rowSkip32AVX2[O](loss, grad, i, min(j, n))
				rw = rk.next(rw)
				i = j
				continue
			}
			tv = splatF32AVX2(rk.a.T1).Merge(splatF32AVX2(rk.a.T0), h1)
			a1, a0, a1lo, a0lo = rowAlpha32AVX2(&rk.a.Tab, rw)
		} else {
			a1, a0, a1lo, a0lo = bp.get(bA1), bp.get(bA0), bp.get(bA1lo), bp.get(bA0lo)
		}
		xv = get32AVX2(x, i, j, whole)
		if !inRows {
			tv = get32AVX2(t, i, j, whole)
		}
		var lv, gv f32AVX2
		var fl m32AVX2
		switch {
		case inRows && rk.a.Two:
			lv, gv, _ = two32AVX2[O](xv, tv, h1, a1, a0, a1lo, a0lo, f32AVX2{}, f32AVX2{}, false)
		case !inRows && mode == model.Mode2:
			h1 = tv.Greater(c32AVX2(kHalf))
			lv, gv, fl = two32AVX2[O](xv, tv, h1, a1, a0, a1lo, a0lo, bp.get(bD), bp.get(bDlo), true)
		default:
			lv, gv, fl = gen32AVX2[O, M](xv, tv, a1, a0, a1lo, a0lo, &bp)
		}
		if inRows {
			// lanes left to float64 in ignored rows or past the end are no one's
			flagged |= uint32(fl.ToBits()) &^ uint32(ign.ToBits()) & liveBits(n-i, full32AVX2)
			var wv f32AVX2
			if !whole && rk.wmode == rows.WeightElem {
				wv = loadPart32AVX2(rk.w[i:])
			} else {
				wv = rowWeights32AVX2(rk, rw, i)
			}
			lv = weigh32AVX2(lv, wv, ign)
			if op == opLossGrad {
				gv = weigh32AVX2(gv, wv, ign)
			}
			rw = rk.next(rw)
		} else {
			flagged |= uint32(fl.ToBits())
		}
		switch op {
		case opSum:
			if !whole {
				lv = lv.Masked(first32AVX2(n - i))
			}
			acc = acc.Add(lv)
			if blk++; blk == blockVecs {
				acc64, ovf = flush32AVX2(acc, acc64, ovf)
				acc, blk = f32AVX2{}, 0
			}
		case opLoss:
			put32AVX2(lv, loss, i, j, whole)
		default:
			put32AVX2(lv, loss, i, j, whole)
			put32AVX2(gv, grad, i, j, whole)
		}
		i = j
	}
	if op == opSum {
		acc64, ovf = flush32AVX2(acc, acc64, ovf)
		sum = hsum64AVX2(acc64)
	}
	return sum, flagged == 0, ovf == 0
}

// flush32AVX2 adds acc, widened to float64, into acc64. A lane that is +Inf
// sets ovf: two finite losses near MaxFloat32 in one lane overflow float32
// (the caller then sums again in float64; a loss that is itself +Inf gives
// +Inf either way).
func flush32AVX2(acc f32AVX2, acc64 w64AVX2, ovf uint32) (w64AVX2, uint32) {
	ovf |= uint32(acc.Equal(c32AVX2(kInf)).ToBits())
	lo, hi := widen32AVX2(acc)
	return acc64.Add(lo).Add(hi), ovf
}
