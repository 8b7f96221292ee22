package model

import "math"

// This file is the algorithm of the assembly kernels written as scalar Go, one
// element at a time, with the same operations in the same order: every fma here
// is a VFMADD there, every branch a blend. It is the Generic level (used on other
// CPUs and architectures, and with -tags purego) and the model the assembly is
// tested against for every length. A hard target takes ElemHard32 (below), a soft
// one ElemGen32 (soft.go, the assembly's soft body), which gives ElemHard32's
// results for a hard target: so Generic agrees with a level whatever the mix
// of targets in a vector.
//
// Per element, with z = x(1-2t) for a hard target t ∈ {0,1}:
//
//	e+el = exp(-|z|)                  range-reduced: 2^k·p(r), |r| ≤ ln2/2, p of degree 7 (Cephes
//	                                  expf coefficients, Estrin's scheme); el is the exact rounding
//	                                  error of p's last addition (Fast2Sum), scaled by 2^k too
//	u    = 1+e, rcp = 1/u             one IEEE division
//	c    = ((e-(u-1))+el)/u           so that 1+e+el = u·(1+c)
//	rc   = rcp·(1 + r1 - c)           = 1/(1+e+el), r1 = fma(-u, rcp, 1) the division's remainder
//	σ(|z|) = rc, σ(-|z|) = e·rc + el·rc   sigmoid from the same exp, rounded about once
//	L    = log1p(e+el)                log(u) by mantissa split (u ∈ [1,2]: f = u-1 or u/2-1, exact),
//	                                  f - f²/2 + f³·P(f), P of degree 8 (Cephes logf coefficients,
//	                                  Estrin in f, f², f⁴), + c
//	CE   = max(z,0) + L               = softplus(z)
//	m    = σ(z)^γ                     γ ∈ {1,2}: products (σ² with its exact error by fma);
//	                                  other γ > 0: exp(γ·(min(z,0) - L)) with both products split
//	                                  exactly by fma and the sum carried (TwoSum) as hi+lo into the
//	                                  exp's reduced argument, so its error does not grow with γ·|log|
//	loss = α_t·m·CE                   γ ∈ {1,2}: amh + aml = α_t·m exactly (fma; α_t and γ are
//	                                  float32 hi+lo pairs), then one rounding: fma(amh, CE, aml·CE);
//	                                  other γ: fma(α_t, m·CE, αlo·m·CE); γ = 0: fma(α_t, CE, αlo·CE)
//	grad = (1-2t)·α_t·m·(γ·σ(-z)·CE + σ(z))   likewise
//
// With z = ±x the first exp starts from -|x| before t is even compared. The
// assembly interleaves two vectors per step (three in AVX-512's float32 hard
// step; staggered on AVX2 to fit 16 registers) and sums float32 lanes over
// blocks of 8 vectors (up to 2 more where a step ends past 8), in float64
// across blocks.
//
// Measured (impl/asm tests, internal/sweep): over the golden rows loss ≤ 3 ULP and
// gradient ≤ 2.33 in units of |terms|·2^-23; over every 64th float32 logit (hard
// targets, α = 0.25, γ ∈ {0, 2, 1.5}), within 5 ULP (loss) and 6 ULP (gradient) of
// stable's float32 kernel, the largest at γ = 2 near x = -0.4 (σ(z)² and log1p each
// keep about 1 ULP); soft targets as soft.go says (results/<machine>/sweep.txt).
//
// Go may fuse x*y + z into one FMA (arm64 does; amd64 at GOAMD64=v3), which
// would make this model differ from the assembly by architecture: in float32
// every product is mul (an explicit rounding) or an fma that VFMADD mirrors,
// and in the float64 code every product that is added is written float64(x*y).
//
// A soft target (anything but exactly 0 or 1) takes the general form, in
// float32 (ElemGen32, soft.go) but for the lanes it leaves to float64
// (ElemSoft32, wide.go): CE = t·softplus(-x) + (1-t)·softplus(x),
// q = 1-p_t = t·σ(-x) + (1-t)·σ(x), m = q^γ,
// grad = α_t·m·(γ(1-2t)·σ(x)σ(-x)·CE/q + σ(x) - t).

// Modes of the modulating factor (1-p_t)^γ; the assembly has one function per mode.
const (
	Mode0   = iota // γ = 0: m = 1
	Mode1          // γ = 1: m = q
	Mode2          // γ = 2: m = q·q
	ModeGen        // any other γ: exp(γ·log q) (also γ = 3: q·q·q loses 5 ULP where this keeps 3)
	NModes
)

// Params32 are a call's parameters as the kernels use them: α_t for t = 1 and
// t = 0 (both 1 when α < 0) and γ, each as a float32 and the float32 rounding
// of what is left, so that rounding α or γ to float32 costs no accuracy.
type Params32 struct {
	A1, A0     float32
	A1lo, A0lo float32
	G, Glo     float32
	Mode       int
	Alpha      float64 // α as given, for the float64 paths
	Gamma      float64 // γ as given, for the float64 paths
	Wide       bool    // see wideParams: the generic loops, hard targets in ElemWide32
}

func split32(v float64) (hi, lo float32) {
	hi = float32(v)
	return hi, float32(v - float64(hi))
}

// NewParams32 returns the float32 kernels' parameters for α and γ.
func NewParams32(alpha, gamma float64) Params32 {
	var p Params32
	p.Set(alpha, gamma)
	return p
}

// Set sets p to the parameters for α and γ, in place: the kernels' entry
// points form them in a Params32 of their own, and a Params32 returned by
// value was copied through the stack field by field, which cost a call on 16
// elements more than its kernel's setup.
func (p *Params32) Set(alpha, gamma float64) {
	p.A1, p.A0, p.A1lo, p.A0lo = 1, 1, 0, 0
	if !(alpha < 0) {
		p.A1, p.A1lo = split32(alpha)
		p.A0, p.A0lo = split32(1 - alpha)
	}
	p.G, p.Glo = split32(gamma)
	p.Mode, p.Alpha, p.Gamma, p.Wide = modeOf(gamma), alpha, gamma, wideParams(alpha, gamma)
}

// modeOf returns the mode of the modulating factor for γ.
func modeOf(gamma float64) int {
	m := ModeGen
	if gamma >= 0 && gamma < ModeGen && gamma == float64(int(gamma)) {
		m = int(gamma)
	}
	return m
}

// Constants, shared with the generator: _asm/consts.go holds the kernels' copy,
// which TestConsts compares with these (and soft.go's) bit for bit.
const (
	expLo   = -104.0 // exp(v) for v < expLo is below half the least subnormal
	loMax   = 1.0 / 64
	loMin   = -1.0 / 64
	log2e   = 1.44269504088896341
	ln2hi   = 0.693359375    // 9 bits: k·ln2hi is exact
	ln2lo   = -2.12194440e-4 // ln2 - ln2hi
	sqrt2   = 1.41421356237  // rounded to float32
	mzLo    = -256           // below it CE and σ(z) are 0 in float32, so m does not matter
	signBit = 0x80000000

	// exp: p(r) = 1 + r + r²·(e0 r⁵ + e1 r⁴ + … + e5), Cephes expf
	ep0 = 1.9875691500e-4
	ep1 = 1.3981999507e-3
	ep2 = 8.3334519073e-3
	ep3 = 4.1665795894e-2
	ep4 = 1.6666665459e-1
	ep5 = 5.0000001201e-1

	// log: log(1+f) = f - f²/2 + f³·(l0 f⁸ + … + l8), Cephes logf, f ∈ [√½-1, √2-1]
	lp0 = 7.0376836292e-2
	lp1 = -1.1514610310e-1
	lp2 = 1.1676998740e-1
	lp3 = -1.2420140846e-1
	lp4 = 1.4249322787e-1
	lp5 = -1.6668057665e-1
	lp6 = 2.0000714765e-1
	lp7 = -2.4999993993e-1
	lp8 = 3.3333331174e-1
)

// fma is the float32 fused multiply-add, rounded once as VFMADD rounds it.
// In float64 a·b is exact, and a·b + c rounded to float64 (s) rounds to the
// same float32 as the exact sum unless s is itself a float32 midpoint (or in
// float32's subnormal range): there the float64 rounding may have moved the
// sum onto the midpoint, and rounding again would go the other way (as it
// did for w·|x| + L of a soft target at large x, with L below 2^-50). There
// s is rounded to odd instead (TwoSum gives its error; an even last bit moves
// one unit towards it), after which the rounding to float32 is the right one.
func fma(a, b, c float32) float32 {
	s := math.FMA(float64(a), float64(b), float64(c))
	if bits := math.Float64bits(s); bits&(1<<29-1) == 1<<28 || s != 0 && math.Abs(s) < 0x1p-126 {
		p := float64(float64(a) * float64(b))
		bb := s - p
		err := (p - (s - bb)) + (float64(c) - bb)
		if err != 0 && bits&1 == 0 {
			if (err > 0) == (s > 0) {
				bits++
			} else {
				bits--
			}
			s = math.Float64frombits(bits)
		}
	}
	return float32(s)
}

// mul and add round to float32 explicitly so that the compiler never fuses them.
func mul(a, b float32) float32 { return float32(a * b) }

// expHL returns exp(h+lo) for h ≤ 0 and |lo| small, as 2^k·p(r) with
// r = (h - k·ln2hi - k·ln2lo) + lo; results below 2^-126 are correctly rounded
// subnormals (the scale is applied in two exact halves).
func expHL(h, lo float32, withLo bool) float32 {
	e, _ := expSplit(h, lo, withLo)
	return e
}

// expSplit is expHL that also returns the rounding error of p's last addition,
// scaled like p: e + eLo is exp(h+lo) to about a quarter of e's ULP.
func expSplit(h, lo float32, withLo bool) (e, eLo float32) {
	if h < expLo {
		h = expLo
	}
	k := float32(math.RoundToEven(float64(mul(h, log2e))))
	r := fma(k, -ln2hi, h)
	r = fma(k, -ln2lo, r)
	if withLo {
		// |lo| < 1e-4 wherever h ≥ expLo; below it h was clamped and a lo as
		// large as γ's products' errors (thousands at γ = 1e10) would lift
		// exp far off 0: held to ±1/64, exp(expLo+lo) stays 0.
		r = r + min(max(lo, loMin), loMax)
	}
	r2 := mul(r, r)
	q := expPoly32(r, r2)
	s := fma(q, r2, r)
	p := s + 1
	pLo := s - (p - 1) // exact (Fast2Sum: |1| ≥ |s|)
	ki := int32(k)
	if k != k {
		ki = math.MinInt32 // what VCVTPS2DQ gives; the result is NaN anyway
	}
	k1 := ki >> 1
	k2 := ki - k1
	s1 := math.Float32frombits(uint32(k1+127) << 23)
	s2 := math.Float32frombits(uint32(k2+127) << 23)
	return mul(mul(p, s1), s2), mul(mul(pLo, s1), s2)
}

// expPoly32 returns the exp polynomial's q, exp(r) ≈ 1 + r + q·r², by
// Estrin's scheme (a shorter dependency chain than Horner's): the pairs
// (ep0·r + ep1, …) joined in r².
func expPoly32(r, r2 float32) float32 {
	a := fma(ep0, r, ep1)
	b := fma(ep2, r, ep3)
	c := fma(ep4, r, ep5)
	q := fma(a, r2, b)
	q = fma(q, r2, c)
	return q
}

// logPoly32 returns the parts of the log polynomial at f that every float32
// log of the lanes shares: log(1+f) - f ≈ p·f³ + hz, with p by Estrin's
// scheme in f, f² and f⁴, z = f², f3 = f³ and hz = -f²/2.
func logPoly32(f float32) (p, z, f3, hz float32) {
	z = mul(f, f)
	a01 := fma(lp0, f, lp1)
	a23 := fma(lp2, f, lp3)
	a45 := fma(lp4, f, lp5)
	a67 := fma(lp6, f, lp7)
	z4 := mul(z, z)
	q := fma(a01, z, a23)
	r := fma(a45, z, a67)
	q = fma(q, z4, r)
	p = fma(q, f, lp8)
	return p, z, mul(z, f), mul(z, -0.5)
}

// logCore returns kf·ln2 + log(1+f) + c for f ∈ [√½-1, √2-1] and a small correction c.
func logCore(f, kf, c float32) float32 {
	// f³, -f²/2 and c + kf·ln2lo are ready before p: the tail after p is short
	p, _, f3, hz := logPoly32(f)
	cl := fma(kf, ln2lo, c)
	y := fma(p, f3, hz)
	y = y + cl
	w := y + f
	return fma(kf, ln2hi, w)
}

// log1pE returns log1p(e) for e ∈ [0,1], given u = 1+e (rounded) and
// c = (e-(u-1))/u, the correction for u's rounding.
func log1pE(u, c float32) float32 {
	m, kf := u, float32(0)
	if u > sqrt2 {
		m, kf = u-mul(u, 0.5), 1
	}
	f := m - 1
	return logCore(f, kf, c)
}

// finite is VMINPS(v, MaxFloat32): v held at MaxFloat32, and NaN taken as it.
func finite(v float32) float32 {
	if !(v < math.MaxFloat32) {
		return math.MaxFloat32
	}
	return v
}

// pow returns q^γ for the integer modes.
func pow(q float32, mode int) float32 {
	switch mode {
	case Mode0:
		return 1
	case Mode1:
		return q
	default:
		return mul(q, q)
	}
}

// ElemHard32 computes the loss and gradient of one element with t ∈ {0,1}.
func ElemHard32(x, t float32, p *Params32) (loss, grad float32) {
	s := fma(t, -2, 1)
	z := mul(x, s)
	a := math.Float32frombits(math.Float32bits(z) &^ signBit)
	e, el := expSplit(-a, 0, false) // exp(-|z|) = e + el
	u := 1 + e
	rcp := 1 / u
	c := mul((e-(u-1))+el, rcp)           // u's rounding error and el, over u: 1+e+el = u·(1+c)
	r1 := fma(-u, rcp, 1)                 // the division's remainder: 1/u = rcp·(1+r1)
	rc := fma(rcp, r1-c, rcp)             // 1/(1+e+el)
	sp, sn := rc, fma(e, rc, mul(el, rc)) // σ(|z|), σ(-|z|), each rounded about once
	sz, snz := sp, sn                     // σ(z), σ(-z)
	if math.Float32bits(z)&signBit != 0 {
		sz, snz = sn, sp
	}
	l := log1pE(u, c)
	var pz float32
	if z > 0 {
		pz = z
	}
	ce := pz + l
	var m, mLo float32 // m + mLo = σ(z)^γ
	if p.Mode == ModeGen {
		var mz float32 // min(z,0), held above mzLo so that γ·mz stays finite
		if z < 0 {
			mz = z
			if mz < mzLo {
				mz = mzLo
			}
		}
		h, lo := gammaLog32(p, mz, l)
		m = expHL(h, lo, true)
	} else {
		m = pow(sz, p.Mode)
		if p.Mode == Mode2 {
			mLo = fma(sz, sz, -m)
		}
	}
	ut := 1 - t
	at := fma(t, p.A1, mul(ut, p.A0))
	atLo := fma(t, p.A1lo, mul(ut, p.A0lo)) // α's float32 rounding error
	loss, amh, aml := lossOf32(p.Mode, at, atLo, m, mLo, ce, p.Mode == Mode2)
	if p.Mode == Mode0 {
		return loss, mul(s, fma(at, sz, mul(atLo, sz)))
	}
	// grad = (1-2t)·α_t·m·inner, compensated like the loss. CE = +Inf only at
	// z = +Inf, where σ(-z)·CE → 0: held at MaxFloat32, 0·CE stays 0.
	ceg := ce
	if ceg > math.MaxFloat32 {
		ceg = math.MaxFloat32
	}
	inner := fma(mul(p.G, snz), ceg, sz)
	if p.Mode == ModeGen {
		mi := mul(m, inner)
		return loss, mul(s, fma(at, mi, mul(atLo, mi)))
	}
	grad = mul(s, fma(amh, inner, mul(aml, inner)))
	return loss, grad
}

// lossOf32 is the generator's lossOf (parts.go): the loss α_t·m·CE from
// α_t = at + atLo and m (+ mLo if withLo: the generator's mlo), by mode, with
// one rounding at the end: the products' rounding errors (and α_t's) are
// carried (exactly, by fma) into the last fma. For γ ∈ {1, 2} it also
// returns α_t·m as amh + aml, which the gradient reuses. CE = +Inf only at
// x = ±Inf: the small terms are held finite (NaN → Max, as VMINPS does) so
// that the loss is +Inf there, or 0 where α_t = 0.
func lossOf32(mode int, at, atLo, m, mLo, ce float32, withLo bool) (loss, amh, aml float32) {
	switch mode {
	case Mode0:
		loss = fma(at, ce, mul(atLo, finite(ce)))
	case ModeGen:
		// m carries about 1 ULP from its exp: m·CE's rounding is not carried
		mc := mul(m, ce)
		loss = fma(at, mc, mul(atLo, finite(mc)))
	default:
		// γ ∈ {1,2}: m is ready long before CE, so α_t·m is formed first,
		// with its exact error: amh + aml = (α_t+atLo)·(m+mLo) to about 2^-48.
		amh = mul(at, m)
		aml = fma(at, m, -amh)
		if withLo {
			aml = fma(at, mLo, aml)
		}
		aml = fma(atLo, m, aml)
		loss = fma(amh, ce, mul(aml, finite(ce)))
	}
	if at == 0 && ce > math.MaxFloat32 { // 0·(+Inf): α_t = 0 makes the loss 0
		loss = 0
	}
	return loss, amh, aml
}

// gammaLog32 returns γ·(mz - L) as h + lo, both products split exactly by
// fma and their difference by TwoSum, with γ's float32 rounding error (Glo)
// added to lo (ElemHard32's and ElemGen32's general γ; gammaLog64 is the
// float64 one).
func gammaLog32(p *Params32, mz, l float32) (h, lo float32) {
	h1 := mul(p.G, mz)
	l1 := fma(p.G, mz, -h1)
	h2 := mul(p.G, l)
	l2 := fma(p.G, l, -h2)
	h = h1 - h2
	bb := h - h1
	er := (h1 - (h - bb)) + (-h2 - bb)
	lo = (l1 - l2) + er
	return h, fma(p.Glo, mz-l, lo)
}
