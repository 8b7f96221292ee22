// Package asm is the sigmoid focal loss on float32 and float64 in SIMD
// assembly: AVX2+FMA (8 float32 or 4 float64 lanes) and AVX-512 (16 or 8
// lanes, masked tails), generated with avo by the command in _asm (one
// generator for both widths), with a pure-Go fallback (Generic) of the same
// algorithm.
// The level is chosen once at init with github.com/klauspost/cpuid/v2; the
// environment variable FOCAL_DISABLE (for example FOCAL_DISABLE=avx512 or
// FOCAL_DISABLE=avx512,avx2) lowers it without recompiling: disabling a level
// also disables the levels above it. With -tags purego only Generic is built.
//
// A hard target (t exactly 0 or 1) takes the form z = x(1-2t): one exp, one
// log1p and one division per element (plus a second exp for a γ other than 0,
// 1 or 2), in float32 lanes. A step (two vectors; on AVX2 the soft body takes
// one) with a soft target in any lane takes the general form in float32 lanes
// too: 1-p_t from A = w + v·e^-|x| as hi+lo, log A as hi+lo for a general γ,
// and σ(x) - t from σ as hi+lo, so that only the exp's own error is left in
// the one difference that cancels; a hard lane there gets the z-form's
// results bit for bit. The lanes it cannot hold to the bars are left to
// float64 (elemSoft): a gradient in a narrow band around σ(x) = t where the
// γ-term is small (about 0.07% of random logits at γ = 0, none seen at γ > 0),
// and degenerate inputs (t below 2^-126; q^γ underflowing while CE > 1, as at
// x = ±Inf with a tiny t). A call with γ above 5, where the float32 lanes'
// error would grow past 4 ULP, computes every element in float64 instead, at
// scalar speed (wide.go). generic.go and soft.go give the algorithm.
//
// The functions do not validate: len(t) and len(dst) (or len(grad), and
// len(loss) unless loss is nil) must be at least len(x); t must lie in [0,1];
// γ ≥ 0 must be finite; α < 0 turns class weighting off. They never allocate,
// never read or write outside the slices, and are safe for concurrent use.
// Measured on the golden vectors (TestGolden, hard and soft rows, every level
// here): loss within 3 ULP, gradient within 2.33 in units of |terms|·2^-23;
// the tests assert 4 and 8. Against stable's float32 kernel (itself within
// 1 ULP and 2 units of the truth) over soft targets: loss within 5 ULP,
// gradient within 4.12 units (TestSoftAccuracy, and internal/sweep over
// every 4096th float32 logit, 224 cases of t, α and γ ≤ 5). The levels compute the same operations in the same
// order: TestAgree holds every level to within 2 ULP of Generic on every
// element (for every length to 70, offset and target pattern; it measures
// 0), and the guard-page test to Generic's results exactly. Over finite
// inputs the results are finite unless the loss overflows; NaN in gives NaN
// out; x = ±Inf gives the loss's limit.
//
// The float64 functions (Loss64, Sum64, LossGrad64) have the same structure
// and contract with polynomials for double (generic64.go, soft64.go): exp
// of degree 13, log1p as f - f²/2 + f³·P(f) with P of degree 19. A call with
// γ above 5 or α below 2^-900, and the lanes the general form flags, take
// impl/stable's float64 algorithm (wide64.go). Sum64's lanes carry their
// additions' rounding errors. Measured: over the golden rows (hard and soft,
// every level) loss within 3 ULP and gradient within 2.23 units of
// 2^-52·ref_grad_scale; internal/sweep's float64 sweep (every 2^40-th
// float64 bit pattern of either sign, 35 cases of t and γ ≤ 5) against a
// math/big reference on 4094 logits per case: loss within 4 ULP (soft
// targets with a general γ, where α_t's and m·CE's roundings are not
// carried), gradient within 2.47 units; within 8 ULP and 5.97 units of
// stable's float64 kernel on all 16.8M logits per case, stable itself being
// up to 5 ULP and 3.43 units from the truth (results/<machine>/sweep64.txt).
// The tests assert 4 and 8; every level agrees with Generic exactly
// (TestAgree64).
package asm

//go:generate sh -c "cd _asm && go run . -out ../focal_amd64.s -stubs ../focal_amd64.go -consts ../../internal/model/zconsts_test.go -dispatch ../zdispatch_amd64.go -pkg asm"

import "github.com/focalkernels/focal/impl/internal/model"

// Loss32 writes the per-element focal loss of x against t into dst, at the best level.
func Loss32(dst, x, t []float32, alpha, gamma float64) { usable.Loss32(dst, x, t, alpha, gamma) }

// Sum32 returns the sum of the focal loss over x and t, at the best level. Each
// vector lane sums a short block (8 vectors) in float32; the blocks are summed in
// float64. If a block's float32 lane overflows (losses near MaxFloat32), the sum
// is done again in float64 from Loss32, a stack buffer at a time.
func Sum32(x, t []float32, alpha, gamma float64) float64 {
	return usable.Sum32(x, t, alpha, gamma)
}

// LossGrad32 writes the loss (unless loss is nil) and its derivative with
// respect to x, at the best level.
func LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	usable.LossGrad32(loss, grad, x, t, alpha, gamma)
}

// Loss32 is the package's Loss32 at level l. It panics if l is not in Levels().
func (l Level) Loss32(dst, x, t []float32, alpha, gamma float64) {
	l.check()
	p := model.NewParams32(alpha, gamma)
	l.loss32(dst, x, t, &p)
}

func (l Level) loss32(dst, x, t []float32, p *model.Params32) {
	if l == Generic || p.Wide || len(x) == 0 {
		model.Loss32(dst, x, t, p)
		return
	}
	if !simdLoss(l, dst, x, t, p) {
		model.FixSoft32(dst, nil, x, t, p)
	}
	if p.ZeroWeight() {
		model.FixZeroWeight32(dst, nil, x, t, p)
	}
}

// Sum32 is the package's Sum32 at level l. It panics if l is not in Levels().
func (l Level) Sum32(x, t []float32, alpha, gamma float64) float64 {
	l.check()
	p := model.NewParams32(alpha, gamma)
	if l == Generic || p.Wide || len(x) == 0 {
		return model.Sum32(x, t, &p)
	}
	s, ok := simdSum(l, x, t, &p)
	if !ok || s != s {
		// A float32 lane of the block sums overflowed (losses near
		// MaxFloat32), or the sum is NaN: a lane left to float64 (see
		// fixSoft), α_t = 0 at x = ±Inf (see fixZeroWeight), or a NaN
		// input. Sum the losses again in float64, a chunk at a time.
		var buf [256]float32
		s = 0
		for i := 0; i < len(x); i += len(buf) {
			xs := x[i:min(i+len(buf), len(x))]
			d := buf[:len(xs)]
			l.loss32(d, xs, t[i:i+len(xs)], &p)
			for _, v := range d {
				s += float64(v)
			}
		}
		return s
	}
	return s
}

// LossGrad32 is the package's LossGrad32 at level l. It panics if l is not in Levels().
func (l Level) LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	l.check()
	p := model.NewParams32(alpha, gamma)
	if l == Generic || p.Wide || len(x) == 0 {
		model.LossGrad32(loss, grad, x, t, &p)
		return
	}
	if p.ZeroWeight() {
		defer model.FixZeroWeight32(loss, grad, x, t, &p)
	}
	if !simdLossGrad(l, loss, grad, x, t, &p) {
		model.FixSoft32(loss, grad, x, t, &p)
	}
}
