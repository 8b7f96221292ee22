// The C peer of the focal loss: plain C, for gcc -O3 -ffast-math to
// vectorize, with expf/exp, log1pf/log1p and powf/pow from glibc's vector
// math library (libmvec), which gcc calls for whole vectors under
// -ffast-math (math.h declares their SIMD variants). Written as a C
// programmer would write the formula, in the element type, with the usual
// log-sum-exp care (softplus for the logarithms, σ from one exp):
//
//	CE = t·softplus(-x) + (1-t)·softplus(x), 1-p_t = t·σ(-x) + (1-t)·σ(x)
//	FL = α_t·(1-p_t)^γ·CE
//	dFL/dx = α_t·[γ·(1-p_t)^(γ-1)·(1-2t)·σ(x)σ(-x)·CE + (1-p_t)^γ·(σ(x)-t)]
//
// for any target t in [0,1] (the general formula), and for hard targets
// only (t is 0 or 1) the shorter z = x·(1-2t) form: CE = softplus(z),
// 1-p_t = σ(z). Sums are accumulated in double. γ = 2 takes a product
// instead of pow, as the Go kernels special-case it.
//
// focal_peer_body.h is included once per element type (float, double) with
// the macros below; each instruction-set package (avx2/, avx512/) compiles it
// with its own flags and exports the functions with its suffix.
#include <math.h>
#include <stddef.h>

#define T float
#define SFX 32
#define EXP expf
#define LOG1P log1pf
#define POW powf
#define FABS fabsf
#define FMAX fmaxf
#include "focal_peer_body.h"
#undef T
#undef SFX
#undef EXP
#undef LOG1P
#undef POW
#undef FABS
#undef FMAX

#define T double
#define SFX 64
#define EXP exp
#define LOG1P log1p
#define POW pow
#define FABS fabs
#define FMAX fmax
#include "focal_peer_body.h"
#undef T
#undef SFX
#undef EXP
#undef LOG1P
#undef POW
#undef FABS
#undef FMAX

// PEER_EXPORT(isa) defines the exported functions of one instruction-set
// package: focal_peer_<op><bits>_<isa>.
#define PEER_EXPORT_TYPE(isa, T, SFX)                                                                            \
	void focal_peer_loss##SFX##_##isa(T *dst, const T *x, const T *t, size_t n, double a, double g) {           \
		focal_loss##SFX(dst, x, t, n, a, g);                                                                    \
	}                                                                                                           \
	double focal_peer_sum##SFX##_##isa(const T *x, const T *t, size_t n, double a, double g) {                  \
		return focal_sum##SFX(x, t, n, a, g);                                                                   \
	}                                                                                                           \
	void focal_peer_lossgrad##SFX##_##isa(T *loss, T *grad, const T *x, const T *t, size_t n, double a, double g) { \
		focal_lossgrad##SFX(loss, grad, x, t, n, a, g);                                                         \
	}                                                                                                           \
	double focal_peer_sumhard##SFX##_##isa(const T *x, const T *t, size_t n, double a, double g) {              \
		return focal_sumhard##SFX(x, t, n, a, g);                                                               \
	}
#define PEER_EXPORT(isa) PEER_EXPORT_TYPE(isa, float, 32) PEER_EXPORT_TYPE(isa, double, 64)
