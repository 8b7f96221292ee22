// Package fast is the sigmoid focal loss of Lin et al. (RetinaNet) and its
// gradient in pure Go, float32 and float64, for CPUs where no vector level
// runs: every architecture, no build tags, nothing but scalar float64
// arithmetic. Per element, with logit x, target t ∈ [0,1], α and γ:
//
//	p      = σ(x) = 1/(1+e^-x)
//	CE     = -(t·log p + (1-t)·log(1-p)) = (1-t)·softplus(x) + t·softplus(-x)
//	q      = 1-p_t = t·σ(-x) + (1-t)·σ(x)
//	α_t    = α·t + (1-α)·(1-t), or 1 if α < 0 (weighting off)
//	FL     = α_t · q^γ · CE,  with q^0 = 1
//	dFL/dx = α_t · [γ·q^(γ-1)·(1-2t)·σ(x)σ(-x)·CE + q^γ·(σ(x) - t)]
//
// Loss32, Sum32, LossGrad32 and their float64 twins keep the contract of
// the module's kernels: they do not validate (len(t), len(dst), len(grad)
// and len(loss) unless loss is nil must be at least len(x); 0 ≤ t ≤ 1;
// α ≤ 1; γ ≥ 0 and finite), never allocate, never read or write outside
// the slices, and are safe for concurrent use. A NaN x or t gives NaN;
// x = ±Inf gives the limit of the formula (0 where the target matches the
// sign or α_t = 0, +Inf otherwise). Sum adds the float64 losses with their
// rounding errors carried (TwoSum within a block, package csum across).
//
// Elem32 and Elem64 are the same computation for one element, with the
// class weight given as a Weight (NewWeight(α), optionally Scale(v) by a
// row's or an element's weight) and γ as a Gamma (NewGamma): a driver with
// a weight per class builds them per class or per element (a TwoSum and two
// products) and nothing else per element. The slice functions give bit for
// bit what Elem32 and Elem64 give with NewWeight(α) (TestElem).
//
// # Algorithm
//
// A hard target (t ∈ {0,1}) takes the form z = x(1-2t): CE = softplus(z),
// q = σ(z), q^γ = exp(-γ·softplus(-z)), and every term of the gradient has
// one sign. A soft target takes CE and q as written above, terms of one
// sign: only σ(x) - t cancels, where σ(x) ≈ t. It is formed from the
// sigmoid nearest t (σ(x) - t for t ≤ ½, (1-t) - σ(-x) above, 1-t exact),
// and where the kernel's own sigmoid is not exact enough for the gradient's
// bar (|q^γ·(σ(x) - t)| + |γ-term| below q^γ·σ·2^-25 in float32, below
// q^γ·(σ(x)σ(-x)/256 + σ·2^-51) in float64), from dd.SigmaMinus. That band
// is rare (TestBand): on label smoothing's and IoU-style targets with
// logits from N(0, 4²), no float32 element, and 0.06% of float64 soft ones
// at γ = 0, none at γ = 2; in the module's random tests, where a quarter of
// the soft targets are σ(x) itself rounded, more.
//
// Both sigmoids and L = log(1+e^-|x|) come from one e = exp(-|x|):
// σ(|x|) = 1/(1+e), σ(-|x|) = e/(1+e), softplus(±|x|) = max(±|x|, 0) + L.
// The exponential reduces y = k·ln2/64 + r, |r| ≤ ln2/128, with 2^(j/64)
// from a table (computed at init in math/big) and a Taylor polynomial of
// e^r; the logarithm reduces v = 2^k·m and m·ρ = 1 + r by a 128-entry table
// of 9-bit reciprocals ρ (r exact as the sum of two terms, |r| < 2^-7) and a
// Taylor polynomial of log(1+r): no division. float32 is computed in float64
// and rounded once at the end: exp to degree 5 (within 2^-50), log to
// degree 6 (2^-44). float64 carries what the loss needs as hi+lo: e (exp to
// degree 6, within 2^-59, the reduction's and the sum's rounding errors
// kept), σ(±|x|) (the division's remainder by an FMA), L (log within
// 2^-60), CE, q^γ, α_t, and the last product rounds once. Go may fuse
// x*y + z into one FMA on some architectures, and some error terms assume
// it does not: every product that is added is written float64(x*y), every
// wanted fusion math.FMA (.ci/fusion-check). Below GOAMD64=v3 math.FMA is
// a branch on the CPU's features with a call on its other side, so the
// polynomials use none.
//
// An element's chain of dependent operations, exp, divide, log, products,
// is long, and one at a time a processor cannot overlap the next element
// with it. So the loops take a block of 64 elements through each step
// before the next (block.go): exp, then sigmoids and softplus of ±x, then
// the rest, whose common case, a hard target with a finite x and
// γ ∈ {0, 1, 2}, takes no call; what depends on the sign of x, random from
// one element to the next, is chosen by masks rather than branches (sel.go).
//
// Left to impl/internal/ref (stable's algorithm), element by element:
// x = ±Inf and NaN inputs; every element of a call whose γ is above Wide32
// (float32) or Wide64 (float64); in float64, a weight below 2^-900, a soft
// target whose w + v·e^-|x| is subnormal (t below 2^-1022 at x < 0), and
// α_t·q^γ below 2^-1022 while CE > 1.
//
// # Accuracy
//
// Measured and asserted by this package's tests. Over the module's golden
// vectors (mpmath; hard and soft targets, α off and on, γ ≤ 5, logits to
// ±3e38): float32 loss within 0 ULP and gradient within 0.50 units of
// eps·scale (eps = 2^-23, scale the size of the gradient's two terms);
// float64 within 1 ULP and 3.18 units (eps = 2^-52). The tests assert the
// module's kernel bar, 4 ULP and 8 units. Over random inputs of every
// target pattern, logits around σ(x) = t and the float edges, α off, 0,
// 0.25 and 1, every γ to 5 and large ones to 1e300: float32 within 1 ULP and
// 0.97 units of stable's float32 kernel (itself within 1 ULP and 2 units of
// the truth; asserted: 3 and 6); float64 within 1 ULP and 3.65 units of a
// 200-bit math/big reference (internal/sweep), where the truth is a normal
// float64. One class of float64 gradients is out of reach of the module's
// double-double (dd.ExpNeg is good to about 2^-64): t = σ(x) rounded to
// float64, where σ(x) - t is near 2^-54·σ and the γ-term small; there the
// gradient is dd.SigmaMinus's, as stable's is, and is held to 8 units of
// stable's (TestBig64 counts them: 39 of 8568). Over more random inputs
// than math/big affords, float64 is within 6 ULP and 5.2 units of stable's
// (each within 4 and 8 of the truth). Large γ: the float32 kernel computes
// γ up to Wide32 itself (its log is float64, so the error does not grow
// with γ: within 1 ULP of stable's at every γ tested to 1024), the float64
// one up to Wide64 = 5, the golden vectors' range; above, every element
// takes ref's path, within 1 ULP (float32) and 4 (float64) at any γ. The
// same tests pass on arm64, s390x and riscv64 under qemu.
//
// # Speed
//
// Against impl/stable on amd64 with -tags purego, N = 65536, γ = 2,
// α = 0.25, on the module's benchmark data (bench_test.go: BenchmarkSum and
// BenchmarkLossGrad, kernel=stable|fast, the three target kinds): stable's
// time over this package's, the median of 10 runs, in four runs (two of
// them with -count 10, two as ten -count 1 runs in a row) on a shared
// 2-core machine under a load of 6 to 20. The figures are preliminary: the
// runs' spreads reached ±50%, and the lowest and highest are given.
//
//	              hard        smooth        iou
//	Sum32         4.0 - 5.9   14.8 - 18.1   3.5 - 5.5
//	LossGrad32    2.8 - 3.9   11.0 - 15.3   3.5 - 6.3
//	Sum64         1.7 - 2.2    6.2 - 11.2   1.6 - 3.0
//	LossGrad64    1.5 - 2.2    6.2 - 8.6    1.8 - 2.2
//
// Per element on hard targets this package executes 236 instructions for
// Sum32 and 472 for Sum64, against stable's 396 and 394 (callgrind); its
// advantage is as much in the shorter chains as in the count.
//
// To measure: go test -tags purego -run '^$' -bench . -count 10 ./impl/internal/fast,
// then go tool benchstat -col /kernel on the output.
package fast
