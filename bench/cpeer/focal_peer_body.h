// The body of the C peer for one element type T (see focal_peer.h): included
// with T, SFX (32 or 64) and the math functions defined.
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, SFX)

static inline T FN(peer_alpha_t)(T t, T alpha) {
	return alpha < 0 ? (T)1 : t * alpha + ((T)1 - t) * ((T)1 - alpha);
}

// peer_elem computes the loss and, if grad is set, the gradient of one
// element with the general formula; m2 selects γ = 2.
#define PEER_ELEM(xi, ti, alpha, gamma, m2, LOSS, GRAD, WANTGRAD)                          \
	T e = EXP(-FABS(xi));                                                                 \
	T l = LOG1P(e);                                                                       \
	T r = (T)1 / ((T)1 + e);                                                              \
	T sig = xi >= 0 ? r : e * r, nsig = xi >= 0 ? e * r : r;                              \
	T ce = ti * (FMAX(-xi, (T)0) + l) + ((T)1 - ti) * (FMAX(xi, (T)0) + l);              \
	T q = ti * nsig + ((T)1 - ti) * sig;                                                  \
	T m = m2 ? q * q : POW(q, gamma);                                                     \
	T at = FN(peer_alpha_t)(ti, alpha);                                                   \
	LOSS = at * m * ce;                                                                   \
	if (WANTGRAD) {                                                                       \
		T dm = m2 ? (T)2 * q : gamma * POW(q, gamma - (T)1);                          \
		GRAD = at * (dm * ((T)1 - (T)2 * ti) * sig * nsig * ce + m * (sig - ti));    \
	}

static void FN(loss_g2_)(T *dst, const T *x, const T *t, size_t n, T alpha, T gamma) {
#pragma omp simd
	for (size_t i = 0; i < n; i++) {
		T xi = x[i], ti = t[i], g;
		PEER_ELEM(xi, ti, alpha, gamma, 1, dst[i], g, 0)
		(void)g;
	}
}

static void FN(loss_pow_)(T *dst, const T *x, const T *t, size_t n, T alpha, T gamma) {
#pragma omp simd
	for (size_t i = 0; i < n; i++) {
		T xi = x[i], ti = t[i], g;
		PEER_ELEM(xi, ti, alpha, gamma, 0, dst[i], g, 0)
		(void)g;
	}
}

static void FN(focal_loss)(T *dst, const T *x, const T *t, size_t n, double alpha, double gamma) {
	if (gamma == 2) {
		FN(loss_g2_)(dst, x, t, n, (T)alpha, (T)gamma);
	} else {
		FN(loss_pow_)(dst, x, t, n, (T)alpha, (T)gamma);
	}
}

static double FN(sum_g2_)(const T *x, const T *t, size_t n, T alpha, T gamma) {
	double s = 0;
#pragma omp simd reduction(+ : s)
	for (size_t i = 0; i < n; i++) {
		T xi = x[i], ti = t[i], v, g;
		PEER_ELEM(xi, ti, alpha, gamma, 1, v, g, 0)
		(void)g;
		s += v;
	}
	return s;
}

static double FN(sum_pow_)(const T *x, const T *t, size_t n, T alpha, T gamma) {
	double s = 0;
#pragma omp simd reduction(+ : s)
	for (size_t i = 0; i < n; i++) {
		T xi = x[i], ti = t[i], v, g;
		PEER_ELEM(xi, ti, alpha, gamma, 0, v, g, 0)
		(void)g;
		s += v;
	}
	return s;
}

static double FN(focal_sum)(const T *x, const T *t, size_t n, double alpha, double gamma) {
	if (gamma == 2) {
		return FN(sum_g2_)(x, t, n, (T)alpha, (T)gamma);
	}
	return FN(sum_pow_)(x, t, n, (T)alpha, (T)gamma);
}

static void FN(lossgrad_g2_)(T *loss, T *grad, const T *x, const T *t, size_t n, T alpha, T gamma) {
#pragma omp simd
	for (size_t i = 0; i < n; i++) {
		T xi = x[i], ti = t[i];
		PEER_ELEM(xi, ti, alpha, gamma, 1, loss[i], grad[i], 1)
	}
}

static void FN(lossgrad_pow_)(T *loss, T *grad, const T *x, const T *t, size_t n, T alpha, T gamma) {
#pragma omp simd
	for (size_t i = 0; i < n; i++) {
		T xi = x[i], ti = t[i];
		PEER_ELEM(xi, ti, alpha, gamma, 0, loss[i], grad[i], 1)
	}
}

// focal_lossgrad writes the loss into loss, which may be the same array as
// grad (the Go side passes grad when the caller wants no loss; the loss is
// written first).
static void FN(focal_lossgrad)(T *loss, T *grad, const T *x, const T *t, size_t n, double alpha, double gamma) {
	if (gamma == 2) {
		FN(lossgrad_g2_)(loss, grad, x, t, n, (T)alpha, (T)gamma);
	} else {
		FN(lossgrad_pow_)(loss, grad, x, t, n, (T)alpha, (T)gamma);
	}
}

// focal_sumhard is the sum for hard targets only (t is 0 or 1), in the
// z = x·(1-2t) form: one softplus, one exp and σ(z).
static double FN(focal_sumhard)(const T *x, const T *t, size_t n, double alpha64, double gamma64) {
	T alpha = (T)alpha64, gamma = (T)gamma64;
	double s = 0;
	if (gamma == 2) {
#pragma omp simd reduction(+ : s)
		for (size_t i = 0; i < n; i++) {
			T z = x[i] * ((T)1 - (T)2 * t[i]);
			T e = EXP(-FABS(z));
			T ce = FMAX(z, (T)0) + LOG1P(e);
			T q = (z >= 0 ? (T)1 : e) / ((T)1 + e); // σ(z)
			s += FN(peer_alpha_t)(t[i], alpha) * q * q * ce;
		}
		return s;
	}
#pragma omp simd reduction(+ : s)
	for (size_t i = 0; i < n; i++) {
		T z = x[i] * ((T)1 - (T)2 * t[i]);
		T e = EXP(-FABS(z));
		T ce = FMAX(z, (T)0) + LOG1P(e);
		T q = (z >= 0 ? (T)1 : e) / ((T)1 + e);
		s += FN(peer_alpha_t)(t[i], alpha) * POW(q, gamma) * ce;
	}
	return s;
}

#undef PEER_ELEM
#undef FN
#undef CAT
#undef CAT_
