package kit

// The case generator and its shrinker.

import (
	"math"
	"math/rand"
	"reflect"

	"github.com/leanovate/gopter"

	"github.com/focalkernels/focal"
)

// The generator's arithmetic rounds every product that is added
// (float64(x*y)), so that a seed draws the same cases on every architecture:
// Go may fuse x*y + z into one FMA where it is not written so (arm64 does).

// genOpts narrows the generator for properties whose statement needs it.
type genOpts struct {
	bits     int     // 32 or 64: values are rounded to this float type
	specials bool    // allow ±Inf logits (and NaN when nan is set)
	nan      bool    // allow NaN logits
	maxAbs   float64 // if > 0, |x| ≤ maxAbs
	minLen   int     // at least this many elements
	// wideGamma adds, in one case of eight, γ log-uniform in 5..1e12
	// (FOCAL_PROPS_WIDE_GAMMA=1): the contract allows any finite γ ≥ 0.
	wideGamma bool
}

// round rounds v to the element type.
func (o genOpts) round(v float64) float64 {
	if o.bits == 32 {
		return float64(float32(v))
	}
	return v
}

// boundaries are logits where kernels change regime or lose precision: where
// float32 σ rounds to 1 (≈17), float64 (≈37), where e^x overflows float32
// (88.72) and float64 (709.78), where e^-x underflows to a subnormal/zero
// (103.97 / 745.13 in float32 / float64), and the SIMD-friendly small numbers.
var boundaries = []float64{
	0, 0.5, 1, 2, 8, 15.9, 16.6, 17, 17.3, 24, 33.3, 36.7, 37, 40,
	87.3, 88.7, 88.72283, 88.73, 89, 103.27893, 103.9, 103.97208, 104,
	708, 709.78, 709.79, 710, 744.44, 745.13, 746, 1000, 1e10,
}

func (o genOpts) maxFinite() float64 {
	if o.bits == 32 {
		return math.MaxFloat32
	}
	return math.MaxFloat64
}

// logits returns the draw of one case's logits: each afresh, or in one
// case of oneIn a single logit repeated, which puts the same hard input in
// every SIMD lane and the tail.
func (o genOpts) logits(r *rand.Rand, oneIn int) func() float64 {
	same := r.Intn(oneIn) == 0
	x0 := o.logit(r)
	return func() float64 {
		if same {
			return x0
		}
		return o.logit(r)
	}
}

// logit draws one logit from a mixture that hunts where kernels break.
func (o genOpts) logit(r *rand.Rand) float64 {
	var v float64
	sign := 1.0
	if r.Intn(2) == 0 {
		sign = -1
	}
	switch k := r.Intn(100); {
	case k < 25: // normal, several widths
		v = r.NormFloat64() * []float64{1, 4, 20, 100}[r.Intn(4)]
	case k < 50: // log-uniform magnitude 1e-30 .. 3e38 (float64: also beyond)
		lo, hi := math.Log(1e-30), math.Log(3e38)
		if o.bits == 64 && r.Intn(4) == 0 {
			lo, hi = math.Log(1e-300), math.Log(1e300)
		}
		v = sign * math.Exp(lo+float64(r.Float64()*(hi-lo)))
	case k < 80: // boundaries, their float neighbours, and nearby
		b := boundaries[r.Intn(len(boundaries))]
		v = o.round(sign * b)
		switch r.Intn(4) {
		case 0:
			v = nextUp(o, v, r.Intn(3)-1)
		case 1:
			f := float64(r.Float64()) // its scaling by 2^-53 would fuse with the - 0.5
			v += float64((f - 0.5) * 0.1)
		}
	case k < 88: // subnormals and zeros
		switch r.Intn(4) {
		case 0:
			v = math.Copysign(0, sign)
		case 1:
			v = sign * smallestSub(o)
		case 2:
			v = sign * smallestSub(o) * float64(1+r.Intn(1<<20))
		default:
			v = sign * minNormal(o.bits) * (1 - float64(r.Float64()*0.5))
		}
	case k < 94: // the largest finite values
		v = sign * o.maxFinite() * (1 - float64(r.Float64()*1e-3))
		if r.Intn(2) == 0 {
			v = sign * o.maxFinite()
		}
	default: // special values
		if o.specials {
			v = math.Inf(int(sign))
			if o.nan && r.Intn(3) == 0 {
				v = math.NaN()
			}
		} else {
			v = sign * 1e-7
		}
	}
	v = o.round(v)
	if o.maxAbs > 0 && !(math.Abs(v) <= o.maxAbs) {
		v = math.Mod(v, o.maxAbs)
		if v != v {
			v = 0
		}
		v = o.round(v)
	}
	return v
}

func smallestSub(o genOpts) float64 {
	if o.bits == 32 {
		return 0x1p-149
	}
	return 0x1p-1074
}

func minNormal(bits int) float64 {
	if bits == 32 {
		return 0x1p-126
	}
	return 0x1p-1022
}

// nextUp steps v by k floats of the element type.
func nextUp(o genOpts, v float64, k int) float64 {
	for ; k > 0; k-- {
		if o.bits == 32 {
			v = float64(math.Nextafter32(float32(v), float32(math.Inf(1))))
		} else {
			v = math.Nextafter(v, math.Inf(1))
		}
	}
	for ; k < 0; k++ {
		if o.bits == 32 {
			v = float64(math.Nextafter32(float32(v), float32(math.Inf(-1))))
		} else {
			v = math.Nextafter(v, math.Inf(-1))
		}
	}
	return v
}

// target draws a target for one element; mode 0 is hard, 1 soft, 2 mixed.
func (o genOpts) target(r *rand.Rand, mode int) float64 {
	if mode == 0 || (mode == 2 && r.Intn(2) == 0) {
		return float64(r.Intn(2))
	}
	switch r.Intn(8) {
	case 0:
		return 0.5
	case 1:
		return o.round([]float64{0.25, 0.75, 0.1, 0.9, 0.01, 0.99}[r.Intn(6)])
	case 2: // near the ends
		e := math.Exp(-r.Float64() * 40)
		if r.Intn(2) == 0 {
			return o.round(e)
		}
		return o.round(1 - e)
	case 3:
		return float64(r.Intn(2))
	default:
		return o.round(r.Float64())
	}
}

func (o genOpts) alpha(r *rand.Rand) float64 {
	switch r.Intn(8) {
	case 0:
		return -1
	case 1:
		return -r.Float64() * 10
	case 2:
		return 0
	case 3:
		return 1
	case 4:
		return 0.25
	default:
		return r.Float64()
	}
}

func (o genOpts) gamma(r *rand.Rand) float64 {
	if o.wideGamma && r.Intn(8) == 0 {
		return math.Exp(math.Log(5) + float64(r.Float64()*(math.Log(1e12)-math.Log(5))))
	}
	switch r.Intn(8) {
	case 0:
		return 0
	case 1, 2:
		return float64(1 + r.Intn(5))
	case 3:
		return []float64{0.5, 1.5, 2.5, 0.25, 0.1, 1e-3}[r.Intn(6)]
	default:
		return r.Float64() * 5
	}
}

func (o genOpts) length(r *rand.Rand) int {
	var n int
	switch r.Intn(4) {
	case 0:
		n = r.Intn(4) // 0..3
	case 1:
		n = []int{7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65}[r.Intn(12)]
	default:
		n = r.Intn(71) // 0..70
	}
	return max(n, o.minLen)
}

func (o genOpts) offset(r *rand.Rand) int {
	if r.Intn(2) == 0 {
		return 0
	}
	return r.Intn(20)
}

// gen returns the gopter generator of Cases with opts, shrinking with shrinkCase.
func (o genOpts) gen() gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		r := p.Rng
		n := o.length(r)
		c := Case{X: make([]float64, n), T: make([]float64, n), Alpha: o.alpha(r), Gamma: o.gamma(r), Off: o.offset(r)}
		c.Split = r.Intn(n + 1)
		mode := r.Intn(3)
		logit := o.logits(r, 5)
		for i := range c.X {
			c.X[i] = logit()
			c.T[i] = o.target(r, mode)
		}
		return genResult(c, o.shrink)
	}
}

// shrink proposes simpler cases, most aggressive first: shorter slices (halves,
// then one element less), no offset and split, simpler parameters, then
// simpler elements (0, ±1, rounded, halved magnitude; hard targets).
func (o genOpts) shrink(v interface{}) gopter.Shrink {
	c := v.(Case)
	var cands []Case
	add := func(d Case) {
		if d.Split > len(d.X) {
			d.Split = len(d.X)
		}
		if len(d.X) < o.minLen {
			return
		}
		cands = append(cands, d)
	}
	n := len(c.X)
	if n > 1 {
		h := n / 2
		add(Case{X: c.X[:h], T: c.T[:h], Alpha: c.Alpha, Gamma: c.Gamma, Off: c.Off, Split: c.Split})
		add(Case{X: c.X[h:], T: c.T[h:], Alpha: c.Alpha, Gamma: c.Gamma, Off: c.Off, Split: c.Split})
	}
	for i := 0; i < n; i++ {
		d := c.clone()
		d.X = append(d.X[:i], d.X[i+1:]...)
		d.T = append(d.T[:i], d.T[i+1:]...)
		if d.Split > i {
			d.Split--
		}
		add(d)
	}
	if c.Off != 0 {
		add(edited(c, func(d *Case) { d.Off = 0 }))
	}
	if c.Split != 0 {
		add(edited(c, func(d *Case) { d.Split = 0 }))
		add(edited(c, func(d *Case) { d.Split = c.Split / 2 }))
	}
	shrinkParams(c, c.Alpha, c.Gamma, func(d *Case, a, g float64) { d.Alpha, d.Gamma = a, g }, add)
	for i := 0; i < n; i++ {
		for _, x := range o.simplerX(c.X[i]) {
			d := c.clone()
			d.X[i] = x
			add(d)
		}
		for _, t := range simpler(c.T[i], []float64{0, 1, 0.5}) {
			d := c.clone()
			d.T[i] = o.round(t)
			add(d)
		}
	}
	return shrinkOver(cands)
}

// genResult is a generated case for gopter, which shrinks it with shrink.
func genResult[C any](c C, shrink gopter.Shrinker) *gopter.GenResult {
	res := gopter.NewGenResult(c, shrink)
	res.ResultType = reflect.TypeOf(c)
	return res
}

// shrinkOver proposes cands, in order.
func shrinkOver[C any](cands []C) gopter.Shrink {
	i := 0
	return func() (interface{}, bool) {
		if i >= len(cands) {
			return nil, false
		}
		i++
		return cands[i-1], true
	}
}

// shrinkParams adds c with a simpler α, its other parameters kept, one
// candidate each, and then with a simpler γ; set puts α and γ in a copy
// of c.
func shrinkParams[C any](c C, alpha, gamma float64, set func(d *C, alpha, gamma float64), add func(C)) {
	for _, a := range simpler(alpha, []float64{-1, 0.25, 0, 1, 0.5}) {
		d := c
		set(&d, a, gamma)
		add(d)
	}
	for _, g := range simpler(gamma, []float64{0, 1, 2}) {
		d := c
		set(&d, alpha, g)
		add(d)
	}
}

// edited is c with the change set makes to it: a shrink candidate that
// replaces a field of c, sharing c's slices.
func edited[C any](c C, set func(*C)) C {
	set(&c)
	return c
}

// simpler returns the candidates before v in the list (simplest first) and
// v's value rounded to fewer digits, never v itself.
func simpler(v float64, list []float64) []float64 {
	var out []float64
	for _, c := range list {
		if c == v {
			return out
		}
		out = append(out, c)
	}
	for _, d := range []float64{1, 10, 100} {
		if r := math.Round(v*d) / d; r != v && !math.IsInf(r, 0) {
			out = append(out, r)
			break
		}
	}
	return out
}

func (o genOpts) simplerX(x float64) []float64 {
	if x == 0 || x != x {
		return nil
	}
	var out []float64
	for _, c := range []float64{0, 1, -1} {
		if c != x {
			out = append(out, c)
		}
	}
	if math.IsInf(x, 0) {
		return append(out, math.Copysign(o.maxFinite(), x))
	}
	if r := math.Round(x); r != x && r != 0 {
		out = append(out, o.round(r))
	}
	if a := math.Abs(x); a > 2 {
		// halve the magnitude, and its exponent for huge values
		out = append(out, o.round(x/2))
		if a > 1e4 {
			out = append(out, o.round(math.Copysign(math.Sqrt(a), x)))
		}
	} else if a < 0.5 {
		out = append(out, o.round(x*2))
	}
	return out
}

// AllCases generates cases of every kind (±Inf and NaN logits included) for
// element type F.
func AllCases[F focal.Float](wide bool) gopter.Gen {
	return genOpts{bits: bitsOf[F](), specials: true, nan: true, wideGamma: wide}.gen()
}
