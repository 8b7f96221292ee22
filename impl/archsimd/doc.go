//go:build goexperiment.simd && amd64 && !purego

// Package archsimd is the sigmoid focal loss of impl/asm's algorithm written
// with Go's simd/archsimd intrinsics instead of generated assembly, float32
// and float64, so that the two can be held to the same bars and timed side by
// side. It is built only with GOEXPERIMENT=simd on amd64 (not with -tags
// purego). From its module it imports only impl/internal: the scalar model of
// the lanes (impl/internal/model), which is impl/asm's too, and the level
// machinery.
//
// Levels: AVX2 (+FMA: Float32x8, Float64x4) and AVX-512 (F, CD, BW, DQ and
// VL, archsimd.X86.AVX512: Float32x16, Float64x8, masked tails, VSCALEF),
// chosen once at init with archsimd's own detection, and Generic, the scalar
// model (impl/asm's Generic level), used where neither is usable.
// FOCAL_DISABLE lowers the level as it does impl/asm's: "avx512" disables
// AVX-512, "avx2" both (case and spaces ignored). The AVX-512 kernels are the
// AVX2 source with the level's name replaced (gen.go); the levels differ
// only in their prims files.
//
// In the lanes, float32: every target with γ ≤ 5, at every γ (modes γ = 0,
// 1, 2 and general γ), x = ±Inf and NaN included. A vector whose targets are
// all 0 or 1 takes the hard form, model.ElemHard32 operation for operation
// (range-reduced exp with a Fast2Sum error term, σ from the same exp, log1p
// by mantissa split, error-carrying FMAs); any other vector the general
// form, model.ElemGen32 (1-p_t from A = w + v·e^-|x| as hi+lo, log A as
// hi+lo for a general γ, σ(x) - t from σ as hi+lo), which gives a hard lane
// the hard form's results bit for bit. float64: hard targets with γ ≤ 5,
// model.ElemHard64 (impl/asm's float64 lanes: exp of degree 13, log1p with a
// degree-19 polynomial). Sum adds float32 lanes over blocks of 8 vectors and
// the blocks in float64 (summing again in float64 if a block overflows or a
// lane was left to float64), float64 lanes over blocks of 8 vectors and the
// blocks by TwoSum.
//
// Outside the lanes, in scalar code after the vector pass, by the model: the
// float32 lanes the general form flags (a gradient in a narrow band around
// σ(x) = t where the γ-term is small, and degenerate inputs: t below 2^-126,
// q^γ underflowing while CE > 1), recomputed in float64 by
// model.ElemSoft32; float64 soft targets (any t but 0 and 1, or NaN), which
// a vector flags and leaves to model.Elem64 (the general form, which
// impl/asm's float64 lanes compute, in scalar Go, and impl/stable's
// algorithm where it flags); and every element of a call with γ > 5 (or, for
// float32, 0 < α < 2^-100; float64, 0 < α < 2^-900), in float64. Hard
// targets at x = ±Inf with α = 0 or 1 (0·Inf in the lanes) are redone by the
// model.
//
// So every level gives the model's results, and impl/asm's Generic level's,
// bit for bit on every element (TestFamily/Agree32 and Agree64 against this
// package's Generic, TestAgreeAsm32 and TestAgreeAsm64 against impl/asm's),
// and Sum within kerneltest.SumRel of theirs. These tests need
// GOEXPERIMENT=simd (make test-simd, which CI runs); in the plain go test
// ./..., the model's own tests and impl/asm's agreement with the model hold
// the shared code. Measured over the golden rows (TestFamily/Golden32 and
// Golden64, every level): float32 loss ≤ 3 ULP and gradient ≤ 2.33 in units
// of ref_grad_scale·2^-23; float64 loss ≤ 3 ULP and gradient ≤ 2.22 in units
// of ref_grad_scale·2^-52. The tests assert 4 and 8.
//
// The sigmoid rows form (LossRows32, SumRows32, LossGradRows32 and their
// 64 twins, rows.go, rows_avx2.go) runs in the same kernels, in a form of
// their own (kRows): each vector's targets, class α and weights are made in
// the lanes from the row labels and per-call class tables (a permute of the
// labels, compares, table loads; impl/internal/rows's Run, impl/asm's
// algorithm), the flat form's hard or general body computes the elements,
// and the weight multiplies them; no N·C target matrix is built, and a
// vector whose rows are all ignored stores zeros without the body. float32:
// hard targets through the hard body, smoothing at γ = 2 through the
// two-valued body (two32AVX2, the model's ElemTwoValue32) and at other γ
// through the general body with each lane's α, its flagged lanes redone by
// the model. float64: hard
// targets through the hard body; with smoothing (soft targets) the whole
// call runs the scalar model, as the flat float64 soft vectors leave their
// elements to it. Every call with γ > 5 or a class α the lanes leave to the
// scalar path (model.RowsLanesTake), and the Generic level, run the model's
// rows loops; at x = ±Inf with α_t = 0 the model redoes the elements, and a
// Sum a float32 block overflowed (or NaN) is summed again from the losses.
// So the rows results are impl/asm's Generic results bit for bit at every
// level (TestRowsAgree, TestRowsEdges), and the rows lanes cost what the flat
// lanes cost per element plus the permute, the table loads and the weight's
// multiply; float64 with smoothing costs the model's time.
//
// The functions do not validate: len(t) and len(dst) (or len(grad), and
// len(loss) unless loss is nil) must be at least len(x) (they are cut to
// len(x), so that a short one panics in Go, not in a kernel); t must lie in
// [0,1]; γ ≥ 0 must be finite; α < 0 turns class weighting off. They never
// allocate, never read or write outside the slices, and are safe for
// concurrent use.
package archsimd
