//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

// This file is the float32 algorithm written as scalar Go, one element at a
// time, with the operations of the vector kernels (kernel32_*.go) in the same
// order: every fma here is a MulAdd there, every branch a selection. It is the
// Generic level and the model the vector levels are tested against. It is
// impl/asm's elemHard (impl/asm/generic.go), copied so that this package
// imports nothing from its module: the same constants, the same operations,
// so that the two families can be compared lane for lane.
//
// Per element, with z = x(1-2t) for a hard target t ∈ {0,1}:
//
//	e+el = exp(-|z|)                  range-reduced: 2^k·p(r), |r| ≤ ln2/2, p of degree 7 (Cephes
//	                                  expf coefficients, Estrin's scheme); el is the exact rounding
//	                                  error of p's last addition (Fast2Sum), scaled by 2^k too
//	u    = 1+e, rcp = 1/u             one IEEE division
//	c    = ((e-(u-1))+el)/u           so that 1+e+el = u·(1+c)
//	rc   = rcp·(1 + r1 - c)           = 1/(1+e+el), r1 = fma(-u, rcp, 1) the division's remainder
//	σ(|z|) = rc, σ(-|z|) = e·rc + el·rc
//	L    = log1p(e+el)                log(u) by mantissa split, f - f²/2 + f³·P(f), P of degree 8
//	                                  (Cephes logf), + c
//	CE   = max(z,0) + L               = softplus(z)
//	m    = σ(z)^γ                     γ ∈ {1,2}: products (σ² with its exact error by fma);
//	                                  other γ: exp(γ·(min(z,0) - L)), both products split exactly
//	                                  and their sum carried (TwoSum) into the exp's reduced argument
//	loss = α_t·m·CE                   rounded about once (the products' errors carried by fma)
//	grad = (1-2t)·α_t·m·(γ·σ(-z)·CE + σ(z))
//
// Go may fuse x*y + z into one FMA (amd64 at GOAMD64=v3): every float32
// product here is mul (an explicit rounding) or an fma that MulAdd mirrors.

// Modes of the modulating factor (1-p_t)^γ; the kernels have one instance per mode.
const (
	mode0   = iota // γ = 0: m = 1
	mode1          // γ = 1: m = q
	mode2          // γ = 2: m = q·q
	modeGen        // any other γ: exp(γ·log q)
)

// params32 are a call's parameters as the float32 kernels use them: α_t for
// t = 1 and t = 0 (both 1 when α < 0) and γ, each as a float32 and the float32
// rounding of what is left, so that rounding α or γ to float32 costs no accuracy.
type params32 struct {
	a1, a0     float32
	a1lo, a0lo float32
	g, glo     float32
	mode       int
	alpha      float64 // α as given, for the float64 paths
	gamma      float64 // γ as given, for the float64 paths
	wide       bool    // see wideParams32: the generic loops, hard targets in elemWide32
}

func split32(v float64) (hi, lo float32) {
	hi = float32(v)
	return hi, float32(v - float64(hi))
}

func gammaMode(gamma float64) int {
	switch gamma {
	case 0:
		return mode0
	case 1:
		return mode1
	case 2:
		return mode2
	}
	return modeGen
}

func mkParams32(alpha, gamma float64) params32 {
	p := params32{a1: 1, a0: 1, mode: gammaMode(gamma), alpha: alpha, gamma: gamma, wide: wideParams32(alpha, gamma)}
	if !(alpha < 0) {
		p.a1, p.a1lo = split32(alpha)
		p.a0, p.a0lo = split32(1 - alpha)
	}
	p.g, p.glo = split32(gamma)
	return p
}

// zeroWeight reports whether α_t can be 0 (α = 0 or 1).
func (p *params32) zeroWeight() bool { return p.a1 == 0 || p.a0 == 0 }

// The float32 constants, impl/asm's (impl/asm/generic.go and _asm/consts.go).
const (
	expLo32   = -104.0 // exp(v) for v < expLo32 is below half the least subnormal
	loMax32   = 1.0 / 64
	loMin32   = -1.0 / 64
	log2e32   = 1.44269504088896341
	ln2hi32   = 0.693359375    // 9 bits: k·ln2hi32 is exact
	ln2lo32   = -2.12194440e-4 // ln2 - ln2hi32
	sqrt2f32  = 1.41421356237  // rounded to float32
	mzLo32    = -256           // below it CE and σ(z) are 0 in float32, so m does not matter
	signBit32 = 0x80000000

	// exp: p(r) = 1 + r + r²·(ep0 r⁵ + … + ep5), Cephes expf
	ep0 = 1.9875691500e-4
	ep1 = 1.3981999507e-3
	ep2 = 8.3334519073e-3
	ep3 = 4.1665795894e-2
	ep4 = 1.6666665459e-1
	ep5 = 5.0000001201e-1

	// log: log(1+f) = f - f²/2 + f³·(lp0 f⁸ + … + lp8), Cephes logf, f ∈ [√½-1, √2-1]
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

// fma32 is the float32 fused multiply-add, rounded once as VFMADD rounds it
// (impl/asm's fma). In float64 a·b is exact, and a·b + c rounded to float64
// (s) rounds to the same float32 as the exact sum unless s is itself a
// float32 midpoint (or in float32's subnormal range): there the float64
// rounding may have moved the sum onto the midpoint, and rounding again would
// go the other way. There s is rounded to odd instead (TwoSum gives its
// error; an even last bit moves one unit towards it), after which the
// rounding to float32 is the right one.
func fma32(a, b, c float32) float32 {
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

// mul32 rounds the product to float32 explicitly so that the compiler never fuses it.
func mul32(a, b float32) float32 { return float32(a * b) }

// expSplit32 returns exp(h+lo) as e + eLo, eLo the rounding error of p's last
// addition scaled like p (e + eLo is exp to about a quarter of e's ULP), for
// h ≤ 0; lo (if withLo) is held to ±1/64. Results below 2^-126 are correctly
// rounded subnormals: the scale is applied in two exact halves.
func expSplit32(h, lo float32, withLo bool) (e, eLo float32) {
	if h < expLo32 {
		h = expLo32
	}
	k := float32(math.RoundToEven(float64(mul32(h, log2e32))))
	r := fma32(k, -ln2hi32, h)
	r = fma32(k, -ln2lo32, r)
	if withLo {
		// |lo| < 1e-4 wherever h ≥ expLo32; below it h was clamped and a lo
		// as large as γ's products' errors would lift exp far off 0.
		r = r + min(max(lo, loMin32), loMax32)
	}
	r2 := mul32(r, r)
	a := fma32(ep0, r, ep1)
	b := fma32(ep2, r, ep3)
	c := fma32(ep4, r, ep5)
	q := fma32(a, r2, b)
	q = fma32(q, r2, c)
	s := fma32(q, r2, r)
	p := s + 1
	pLo := s - (p - 1) // exact (Fast2Sum: |1| ≥ |s|)
	ki := int32(k)
	if k != k {
		ki = math.MinInt32 // what the vector conversion gives; the result is NaN anyway
	}
	k1 := ki >> 1
	k2 := ki - k1
	s1 := math.Float32frombits(uint32(k1+127) << 23)
	s2 := math.Float32frombits(uint32(k2+127) << 23)
	return mul32(mul32(p, s1), s2), mul32(mul32(pLo, s1), s2)
}

// logCore32 returns kf·ln2 + log(1+f) + c for f ∈ [√½-1, √2-1] and a small correction c.
func logCore32(f, kf, c float32) float32 {
	z := mul32(f, f)
	a01 := fma32(lp0, f, lp1)
	a23 := fma32(lp2, f, lp3)
	a45 := fma32(lp4, f, lp5)
	a67 := fma32(lp6, f, lp7)
	z4 := mul32(z, z)
	q := fma32(a01, z, a23)
	r := fma32(a45, z, a67)
	q = fma32(q, z4, r)
	p := fma32(q, f, lp8)
	f3 := mul32(z, f)
	hz := mul32(z, -0.5)
	cl := fma32(kf, ln2lo32, c)
	y := fma32(p, f3, hz)
	y = y + cl
	w := y + f
	return fma32(kf, ln2hi32, w)
}

// log1pE32 returns log1p(e) for e ∈ [0,1], given u = 1+e (rounded) and
// c = (e-(u-1))/u, the correction for u's rounding.
func log1pE32(u, c float32) float32 {
	f, kf := u-1, float32(0)
	if u > sqrt2f32 {
		f, kf = fma32(u, 0.5, -1), 1 // u/2 - 1, exactly
	}
	return logCore32(f, kf, c)
}

// finite32 holds v at MaxFloat32 (NaN included, as VMINPS may take it).
func finite32(v float32) float32 {
	if !(v < math.MaxFloat32) {
		return math.MaxFloat32
	}
	return v
}

// elemHard32 computes the loss and gradient of one element with t ∈ {0,1}.
func elemHard32(x, t float32, p *params32) (loss, grad float32) {
	z := x
	if t == 1 {
		z = -x
	}
	a := math.Float32frombits(math.Float32bits(z) &^ signBit32)
	e, el := expSplit32(-a, 0, false) // exp(-|z|) = e + el
	u := 1 + e
	rcp := 1 / u
	c := mul32((e-(u-1))+el, rcp)             // 1+e+el = u·(1+c)
	r1 := fma32(-u, rcp, 1)                   // 1/u = rcp·(1+r1)
	rc := fma32(rcp, r1-c, rcp)               // 1/(1+e+el)
	sp, sn := rc, fma32(e, rc, mul32(el, rc)) // σ(|z|), σ(-|z|)
	sz, snz := sp, sn                         // σ(z), σ(-z)
	if math.Float32bits(z)&signBit32 != 0 {
		sz, snz = sn, sp
	}
	l := log1pE32(u, c)
	var pz float32
	if z > 0 {
		pz = z
	}
	ce := pz + l
	var m, mLo float32 // m + mLo = σ(z)^γ
	switch p.mode {
	case mode0:
		m = 1
	case mode1:
		m = sz
	case mode2:
		m = mul32(sz, sz)
		mLo = fma32(sz, sz, -m)
	default:
		var mz float32 // min(z,0), held above mzLo32 so that γ·mz stays finite
		if z < 0 {
			mz = max(z, mzLo32)
		}
		h1 := mul32(p.g, mz)
		l1 := fma32(p.g, mz, -h1)
		h2 := mul32(p.g, l)
		l2 := fma32(p.g, l, -h2)
		h := h1 - h2
		bb := h - h1
		er := (h1 - (h - bb)) + (-h2 - bb)
		lo := (l1 - l2) + er
		lo = fma32(p.glo, mz-l, lo) // γ's float32 rounding error
		m, _ = expSplit32(h, lo, true)
	}
	at, atLo := p.a0, p.a0lo
	if t == 1 {
		at, atLo = p.a1, p.a1lo
	}
	var amh, aml float32
	switch p.mode {
	case mode0:
		loss = fma32(at, ce, mul32(atLo, finite32(ce)))
	case modeGen:
		// m carries about 1 ULP from its exp: m·CE's rounding is not carried
		mc := mul32(m, ce)
		loss = fma32(at, mc, mul32(atLo, finite32(mc)))
	default:
		// γ ∈ {1,2}: amh + aml = (α_t+atLo)·(m+mLo) to about 2^-48
		amh = mul32(at, m)
		aml = fma32(at, m, -amh)
		if p.mode == mode2 {
			aml = fma32(at, mLo, aml)
		}
		aml = fma32(atLo, m, aml)
		loss = fma32(amh, ce, mul32(aml, finite32(ce)))
	}
	if at == 0 && ce > math.MaxFloat32 { // 0·(+Inf): α_t = 0 makes the loss 0
		loss = 0
	}
	if p.mode == mode0 {
		grad = fma32(at, sz, mul32(atLo, sz))
	} else {
		// σ(-z)·CE → 0 where CE = +Inf (z = +Inf): CE held at MaxFloat32
		ceg := ce
		if ceg > math.MaxFloat32 {
			ceg = math.MaxFloat32
		}
		inner := fma32(mul32(p.g, snz), ceg, sz)
		if p.mode == modeGen {
			mi := mul32(m, inner)
			grad = fma32(at, mi, mul32(atLo, mi))
		} else {
			grad = fma32(amh, inner, mul32(aml, inner))
		}
	}
	if t == 1 {
		grad = -grad
	}
	return loss, grad
}
