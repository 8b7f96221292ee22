// The C peer of the focal sum: plain C, for gcc -O3 -ffast-math to vectorize,
// with expf, log1pf and powf from glibc's vector math library (libmvec), which
// gcc calls for whole vectors under -ffast-math (math.h declares their SIMD
// variants). Hard targets (t is 0 or 1) only; the same formula as the stable
// kernel's hard-target path, in float32, summed in double:
//
//	z = x·(1-2t), CE = max(z,0) + log1p(e^-|z|), 1-p_t = σ(z), FL = α_t·σ(z)^γ·CE
//
// It is included by each instruction-set package (avx2/, avx512/), which
// compile it with their own flags.
#include <math.h>
#include <stddef.h>

static inline float peer_alpha_t(float t, float alpha) {
	return alpha < 0 ? 1.0f : t * alpha + (1.0f - t) * (1.0f - alpha);
}

// focal_sum_g2 is the focal sum for γ = 2: (1-p_t)^2 is one product.
static double focal_sum_g2(const float *x, const float *t, size_t n, float alpha) {
	double s = 0;
#pragma omp simd reduction(+ : s)
	for (size_t i = 0; i < n; i++) {
		float z = x[i] * (1.0f - 2.0f * t[i]);
		float e = expf(-fabsf(z));
		float ce = fmaxf(z, 0.0f) + log1pf(e);
		float q = (z >= 0 ? 1.0f : e) / (1.0f + e); // σ(z)
		s += peer_alpha_t(t[i], alpha) * q * q * ce;
	}
	return s;
}

// focal_sum_pow is the focal sum for any γ, with powf.
static double focal_sum_pow(const float *x, const float *t, size_t n, float alpha, float gamma) {
	double s = 0;
#pragma omp simd reduction(+ : s)
	for (size_t i = 0; i < n; i++) {
		float z = x[i] * (1.0f - 2.0f * t[i]);
		float e = expf(-fabsf(z));
		float ce = fmaxf(z, 0.0f) + log1pf(e);
		float q = (z >= 0 ? 1.0f : e) / (1.0f + e);
		s += peer_alpha_t(t[i], alpha) * powf(q, gamma) * ce;
	}
	return s;
}

static double focal_sum(const float *x, const float *t, size_t n, float alpha, float gamma) {
	if (gamma == 2.0f) {
		return focal_sum_g2(x, t, n, alpha);
	}
	return focal_sum_pow(x, t, n, alpha, gamma);
}
