package focal

// Bar is the accuracy a kernel declares for one element type, against the
// exact values (the module's golden vectors, computed with mpmath). The tests
// hold every registered kernel to its bar, and the conformance kit
// (package focaltest) holds any kernel to the one it is given.
//
// The loss is within LossULP units in the last place of the truth rounded to
// the element type. The gradient is within Grad·eps·scale of the truth, where
// eps is 2^-23 (float32) or 2^-52 (float64) and scale is the size of its two
// terms, |α_t|·(|γ·(1-p_t)^(γ-1)·(1-2t)·σ(x)σ(-x)·CE| + |(1-p_t)^γ·(σ(x)-t)|):
// where the terms cancel (a soft target near σ(x)), the error is measured
// against what was cancelled, not against the small result.
//
// A kernel that is only declared valid on part of the domain (naive) gives
// MaxAbsX and MaxGamma, and may give a relative error Rel instead of LossULP
// and Grad: of the loss, and of the gradient against its scale, except for
// soft targets with |σ(x) - t| < 0.01, where σ(x) - t cancels in the element
// type itself.
type Bar struct {
	LossULP uint64  // loss error bound, in ULP of the element type
	Grad    float64 // gradient error bound, in units of eps·scale
	Rel     float64 // if positive: a relative error bound instead of LossULP and Grad

	// If positive, the bar holds only for |x| ≤ MaxAbsX and γ ≤ MaxGamma.
	MaxAbsX, MaxGamma float64
}

// Declared reports whether b states any bound: a registered kernel whose Bar
// is the zero value has declared nothing, which the tests reject.
func (b Bar) Declared() bool { return b != Bar{} }

// InRange reports whether the bar covers the logit x at γ gamma.
func (b Bar) InRange(x, gamma float64) bool {
	if b.MaxAbsX > 0 && !(x >= -b.MaxAbsX && x <= b.MaxAbsX) {
		return false
	}
	return b.MaxGamma <= 0 || gamma <= b.MaxGamma
}

// Spec is what a kernel of this module declares about itself, in one place
// (the registry), for the tests, the property suite, the benchmarks and the
// report to read.
type Spec struct {
	Name   string
	Needs  []string // CPU features it needs, as github.com/klauspost/cpuid/v2 names them; none for pure Go
	Scalar bool     // it computes one element at a time (no SIMD)
	Runs   bool     // it runs here: Kernels lists it (the CPU has Needs, FOCAL_DISABLE leaves it on)
	Rank   int      // Best is the running kernel of the highest Rank; 0: never Best

	// Bar32 and Bar64 are its accuracy per element type; nil where it has no
	// functions for that type.
	Bar32, Bar64 *Bar
}

// Specs returns every kernel of this build, whether it runs here or not,
// in registry order (naive first). Those with Runs set are the ones Kernels returns.
func Specs() []Spec {
	out := make([]Spec, len(known))
	for i, e := range known {
		out[i] = e.spec()
	}
	return out
}

// SpecOf returns the Spec of the kernel called name.
func SpecOf(name string) (Spec, bool) {
	for _, e := range known {
		if e.name == name {
			return e.spec(), true
		}
	}
	return Spec{}, false
}

// BarOf returns the declared accuracy of the kernel called name for element
// type F; ok is false if no kernel of that name has functions for F.
func BarOf[F Float](name string) (b Bar, ok bool) {
	s, ok := SpecOf(name)
	if !ok {
		return Bar{}, false
	}
	p := s.Bar64
	if is32[F]() {
		p = s.Bar32
	}
	if p == nil {
		return Bar{}, false
	}
	return *p, true
}
