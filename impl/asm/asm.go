// Package asm is the sigmoid focal loss on float32 and float64 in SIMD
// assembly, with levels per architecture: on amd64 AVX2+FMA (8 float32 or 4
// float64 lanes) and AVX-512 (16 or 8 lanes, masked tails), generated with
// avo; on arm64 NEON (Advanced SIMD: 4 or 2 lanes, the tail loaded and
// stored lane by lane), emitted by the same command's package neon, which
// writes the floating-point instructions Go's arm64 assembler lacks as WORD
// encodings with their disassembly (its TestWords decodes each one and
// compares). Both come from the command in _asm (one generator for both
// widths), and every architecture has the pure-Go fallback (Generic) of the
// same algorithm.
// The level is chosen once at init with github.com/klauspost/cpuid/v2; the
// environment variable FOCAL_DISABLE (for example FOCAL_DISABLE=avx512 or
// FOCAL_DISABLE=avx512,avx2 on amd64, FOCAL_DISABLE=neon on arm64) lowers it
// without recompiling: disabling a level also disables the levels above it,
// and names of another architecture's levels are ignored. With -tags purego
// only Generic is built.
//
// The NEON kernels run here under qemu-aarch64: the package's tests hold
// them there to Generic at every offset and length the x86 levels are held
// at, and to the bars below (CI runs them). qemu is no timing model: their
// speed is an estimate by llvm-mca (results/<machine>/neon.md, make
// neon-estimate), not a measurement.
//
// A hard target (t exactly 0 or 1) takes the form z = x(1-2t): one exp, one
// log1p and one division per element (plus a second exp for a γ other than 0,
// 1 or 2), in float32 lanes. A step (two vectors, three in AVX-512's hard
// step but float64's at a general γ; on AVX2 the soft body's second starts
// later, its long-lived values on the stack) with a soft target
// in any lane takes, at γ = 2, the two-valued body (model's twovalue.go,
// ElemTwoFlat32): each lane oriented to its target e = min(t, 1-t) ≤ 1/2,
// the hard body's exp, division and log1p with σ's low parts, α_t formed in
// the lane from α and the call's slope A1 - A0, no second division and no
// flag band (a step whose targets all equal one of two the call keeps, as
// label smoothing's 1-ε/2 and ε/2 do, selects their side values and α_t
// where a step forms them in the lane: _asm's uniform.go, the same bits,
// three vectors a step with AVX-512, two with AVX2);
// at other γ it takes the general form in float32 lanes: 1-p_t
// from A = w + v·e^-|x| as hi+lo, log A as hi+lo for a general γ, and
// σ(x) - t from σ as hi+lo, so that only the exp's own error is left in the
// one difference that cancels. A hard lane in either gets the z-form's
// results bit for bit. Where only one of a step's two vectors has a soft
// lane (sparse soft targets, as IoU scores are), that vector alone takes its
// body and the other goes back to the test with the vector after it: on
// AVX2, whose soft body spills, and in AVX-512's LossGrad, whose soft body
// is the longer; of a step of three, the leading all-hard vectors (one or
// two) take the hard body and the step goes back to the test at the first
// vector with a soft lane. The lanes a body cannot hold to the bars are left to
// float64 (model.ElemSoft32): in the two-valued body a target within
// 2^-42 of 0 or 1 (rows.TwoMin: below it α_t·q² is no longer normal against
// a huge CE); in the general one a gradient in a narrow band around
// σ(x) = t where the γ-term is small (about 0.07% of random logits at
// γ = 0, none seen at γ > 0), and degenerate inputs (t below 2^-126; q^γ
// underflowing while CE > 1, as at x = ±Inf with a tiny t). A call with γ above 5, where the float32 lanes'
// error would grow past 4 ULP, computes every element in float64 instead, at
// scalar speed (model.ElemWide32). Package impl/internal/model gives the
// algorithm as scalar Go (model32.go, soft32.go): the Generic level, and what
// the assembly computes lane for lane.
//
// The flat functions take α and γ as float32 hi+lo pairs and a mode, which
// they derive once for each of the first model.CacheSlots distinct (α, γ) a
// process calls them with and keep (model.Cached32, Cached64); other pairs
// are derived per call. On a 16-element call deriving them was about an eighth
// of its time.
//
// The functions do not validate: len(t) and len(dst) (or len(grad), and
// len(loss) unless loss is nil) must be at least len(x); t must lie in [0,1];
// γ ≥ 0 must be finite; α < 0 turns class weighting off. They never allocate,
// never read or write outside the slices, and are safe for concurrent use.
// Measured on the golden vectors (TestFamily/Golden32, hard and soft rows,
// every level here): loss within 3 ULP, gradient within 2.25 in units of
// |terms|·2^-23; the tests assert 4 and 8. Against stable's float32 kernel
// (itself within 1 ULP and 2 units of the truth) over soft targets: loss
// within 5 ULP, gradient within 3.79 units (TestSoftAccuracy, and
// internal/sweep over every 4096th float32 logit, 224 cases of t, α and
// γ ≤ 5: results/<machine>/sweep.txt). The levels compute the same operations in the same order: every
// level gives Generic's results bit for bit on every element, for every
// length to 70, offset and target pattern (TestFamily/Agree32 and Agree64),
// and against guard pages (TestFamily/GuardPages32 and 64). Over finite
// inputs the results are finite unless the loss overflows; NaN in gives NaN
// out; x = ±Inf gives the loss's limit (TestFamily/Special32 and 64).
//
// The sigmoid rows form (LossRows32, SumRows32, LossGradRows32 and their
// 64 twins; see impl/internal/rows for its semantics) runs the same bodies
// over a call's N·C logits in whole vectors, whatever C is (rows_lanes.go;
// _asm/rows.go on amd64, _asm/neon/rows.go on arm64): each vector's lanes
// get their row's label by a permute of the labels with a per-call table of
// row offsets (on arm64 a byte table lookup, TBL), their target by
// comparing it with a table of class indices (t1 or t0: 1 and 0, or
// smoothing's two), their class α from per-call tables of float32 hi+lo
// pairs (C + 16 entries, filled on the stack, C ≤ 1024 per call; a larger C
// is taken in chunks of classes), and their weight by a permuted load per
// row or a load per element, which multiplies the loss and gradient in the
// lanes; a step whose lanes all fall in ignored rows stores zeros without
// its body, and one with no lane on its row's label (most steps: a row has
// one label lane, a background row none) takes its body with every target
// t0 and its α from the a0 table, without the label's selects (on amd64
// the hard kernels and the smoothed ones at γ = 2 but AVX-512's float32
// SumRows and LossRows).
// No target is stored. Its kernels specialise γ = 2 and take every
// other γ in the general mode (model.RowsMode), hard targets in the hard
// body, smoothed ones at γ = 2 in the two-valued body (model's
// twovalue.go: the hard body's exp, division and log1p with σ's low parts,
// 1.2 to 1.5 times its instructions, where the general body is 1.3 to 2.2:
// results/<machine>/loopcounts.txt)
// and at other γ in the general body, with the model's results bit
// for bit (TestRowsAgree: any NaN for a NaN, either zero for a zero) at
// every level. The amd64 rows kernels are 48 functions beside the flat
// form's 48, each with one body or two (the label's and the one without),
// about 90k lines of the generated assembly; the NEON ones 24 beside 24, each with a loop per
// weight mode (chosen once per call), about 55k lines.
//
// The softmax form (SoftmaxLoss32, SoftmaxSum32, SoftmaxLossGrad32 and their
// float64 twins; softmax.go) reduces each row in the lanes, takes float32
// rows' epilogues eight rows at a time in the lanes, and leaves float64
// rows' to a scalar epilogue every level shares.
//
// The float64 functions (Loss64, Sum64, LossGrad64) have the same structure
// and contract with polynomials for double (model64.go, soft64.go in
// impl/internal/model): exp of degree 13, log1p as f - f²/2 + f³·P(f) with P
// of degree 19. A call with γ above 5 or α below 2^-900, and the lanes the
// general form flags, take impl/stable's float64 algorithm (impl/internal/ref,
// model.ElemRef64). Sum64's lanes carry their additions' rounding errors.
// Measured: over the golden rows (hard and soft, every level) loss within 3
// ULP and gradient within 2.22 units of
// 2^-52·ref_grad_scale; internal/sweep's float64 sweep (every 2^40-th
// float64 bit pattern of either sign, 35 cases of t and γ ≤ 5) against a
// math/big reference on 4094 logits per case: loss within 4 ULP (soft
// targets with a general γ, where α_t's and m·CE's roundings are not
// carried), gradient within 2.47 units; within 8 ULP and 5.97 units of
// stable's float64 kernel on all 16.8M logits per case, stable itself being
// up to 5 ULP and 3.43 units from the truth (results/<machine>/sweep64.txt).
// The tests assert 4 and 8.
package asm

//go:generate sh -c "cd _asm && go run . -out ../focal_amd64.s -stubs ../focal_amd64.go -consts ../../internal/model/zconsts_test.go -dispatch ../zdispatch_amd64.go -rows ../zrows_amd64.go -neon-out ../focal_arm64.s -neon-stubs ../focal_arm64.go -neon-dispatch ../zdispatch_arm64.go -pkg asm"

import (
	"github.com/focalkernels/focal/impl/internal/fast"
	"github.com/focalkernels/focal/impl/internal/model"
)

// Loss32 writes the per-element focal loss of x against t into dst, at the best level.
func Loss32(dst, x, t []float32, alpha, gamma float64) { usable.Loss32(dst, x, t, alpha, gamma) }

// Sum32 returns the sum of the focal loss over x and t, at the best level. Each
// vector lane sums a short block (8 vectors) in float32; the blocks are summed in
// float64. If a block's float32 lane overflows (losses near MaxFloat32), or
// the sum is NaN, it is done again by chunks (model.Resum32).
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
	if l == PureGo {
		fast.Loss32(dst, x, t, alpha, gamma)
		return
	}
	p := model.Cached32(alpha, gamma)
	if p == nil {
		p = model.Fill32(new(model.Params32), alpha, gamma)
	}
	l.loss32(dst, x, t, p)
}

func (l Level) loss32(dst, x, t []float32, p *model.Params32) {
	if l == Generic || p.Wide || len(x) == 0 {
		model.Loss32(dst, x, t, p)
		return
	}
	model.Fix32(dst, nil, x, t, p, simdLoss(l, dst, x, t, p))
}

// Sum32 is the package's Sum32 at level l. It panics if l is not in Levels().
func (l Level) Sum32(x, t []float32, alpha, gamma float64) float64 {
	l.check()
	if l == PureGo {
		return fast.Sum32(x, t, alpha, gamma)
	}
	p := model.Cached32(alpha, gamma)
	if p == nil {
		p = model.Fill32(new(model.Params32), alpha, gamma)
	}
	if l == Generic || p.Wide || len(x) == 0 {
		return model.Sum32(x, t, p)
	}
	if s, ok := simdSum(l, x, t, p); ok && s == s {
		return s
	}
	return model.Resum32(x, t, p, func(x, t []float32) (float64, bool) { return simdSum(l, x, t, p) })
}

// LossGrad32 is the package's LossGrad32 at level l. It panics if l is not in Levels().
func (l Level) LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	l.check()
	if l == PureGo {
		fast.LossGrad32(loss, grad, x, t, alpha, gamma)
		return
	}
	p := model.Cached32(alpha, gamma)
	if p == nil {
		p = model.Fill32(new(model.Params32), alpha, gamma)
	}
	if l == Generic || p.Wide || len(x) == 0 {
		model.LossGrad32(loss, grad, x, t, p)
		return
	}
	model.Fix32(loss, grad, x, t, p, simdLossGrad(l, loss, grad, x, t, p))
}
