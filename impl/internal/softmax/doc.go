// Package softmax is the softmax (categorical) focal loss's accurate scalar
// algorithm: impl/stable's kernel, and the path the vector kernels leave
// the rows they do not take in their lanes to.
//
// Per row of C logits x with class c, α_c and γ (notation of the root
// package's SoftmaxLossGrad):
//
//	p     = softmax(x)
//	FL    = -α_c (1-p_c)^γ log p_c
//	dFL/dx_j = K·(δ_jc - p_j),   K = -α_c[(1-p_c)^γ - γ(1-p_c)^(γ-1)·p_c·log p_c]
//
// The algorithm forms nothing as a difference that can cancel. With m the
// row's maximum and a the class that attains it (c itself if x_c = m):
//
//	E_j  = e^(x_j - m) ∈ (0, 1]      x_j - m exact as hi+lo (TwoSum), the exp in
//	                                 double-double (dd.ExpNegScaled), ×2^900 so
//	                                 that a sum of subnormal terms keeps its digits
//	S    = Σ_{j ∉ {a,c}} E_j          terms of one sign, double-double
//
// If c = a (the row is right): 1-p_c = S/(1+S), -log p_c = log1p(S), and the
// γ-term of K is γ(1-p_c)^γ·ρ with ρ = log1p(S)/S ∈ (0, 1] (1 at S = 0):
//
//	FL = α_c·q^γ·log1p(S),  K = -α_c·q^γ·(1 + γρ),  q = S/(1+S)
//	log q = log S - log1p(S) (S ≤ 1), -log1p(1/S) (S > 1): terms of one sign
//
// If c ≠ a: Z = 1 + S + E_c, p_c = E_c/Z ≤ 1/2, q = 1-p_c = (1+S)/Z, and
//
//	-log p_c = (m - x_c) + log1p(S + E_c)    both ≥ 0, their sum ≥ log 2
//	log q    = log1p(-p_c)                    |p_c| ≤ 1/2: no cancellation
//	K        = -α_c·q^γ·(1 + γ·p_c·(-log p_c)/q)
//
// so K's two terms have one sign in either case. q^γ = exp(γ·log q) with
// γ·log q split exactly (FMA) and the exp in double-double, so that γ
// multiplies only log q's own error, about 1e-19 absolute. The gradient is
// K·q for j = c and -K·E_j/Z for the others: products, nothing cancels. The
// row's weight and α_c multiply at the end, the products carried in
// double-double and rounded once.
//
// Special cases: a NaN logit makes the row's loss and every gradient
// component NaN. The shift by m takes x_j - m as 0 where x_j = m, so logits
// of +Inf count as equal to each other (they share the probability: the
// limit as they grow together), a row of -Inf logits counts as uniform, a
// finite logit in a row with a +Inf one has p_j = 0, and x_c = -Inf (or a
// finite x_c in a row with a +Inf) gives loss +Inf with K = -α_c (p·log p →
// 0). γ = 0 gives q^γ = 1 even where q = 0; C = 1 gives p_c = 1: loss 0,
// gradient 0. A row whose weight·α_c is 0 has loss 0 and gradient 0 (unless
// it holds a NaN), even where FL is +Inf.
//
// Error bounds: float64 results are within about 1 ULP of the truth, float32
// ones (computed in float64 and rounded once) within 1 ULP; the module's
// tests assert loss ≤ 4 ULP and every gradient component within 8·eps of its
// value (see the root package's SoftmaxBarOf) on golden rows from mpmath and
// on random rows against a math/big reference. Every product that is added
// is written float64(x*y) and every wanted fusion is math.FMA, so that the
// results are the same on every architecture (see package dd).
package softmax
