package fast

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
	"github.com/focalkernels/focal/impl/internal/ref"
)

// Elem64 returns the focal loss of one float64 element and, if grad is
// set, its derivative with respect to x (0 otherwise), within the package's
// float64 bounds. w is the element's class weight, g its γ (NewGamma).
func Elem64(x, t float64, w Weight, g *Gamma, grad bool) (loss, dx float64) {
	var s sig64
	s.e, s.el = expHL(-math.Abs(x), 0)
	s.sigmoids(x)
	return fin64(x, t, &s, &w, g, grad)
}

// sig64 is what a float64 element's last step starts from, in the three
// steps of the float32 kernel (Elem32): e + el = exp(-|x|) (expHL), then
// σ(±x) and softplus(±x), each as hi+lo (sigmoids), then the rest (fin64).
type sig64 struct {
	e, el   float64
	s, sl   float64 // σ(x)
	sn, snl float64 // σ(-x)
	cp, cpl float64 // softplus(x)
	cn, cnl float64 // softplus(-x)
}

// sigmoids sets σ(±x) and softplus(±x) as hi+lo from e + el = exp(-|x|):
// u = 1+e with its rounding error ul, rcp = 1/u with the division's
// remainder r1 (exact by an FMA), so that σ(|x|) = 1/(u+ul) =
// rcp·(1 + r1 - c), c = ul/u; σ(-|x|) = (e+el)·σ(|x|); L = log(u+ul) =
// log u + c; softplus(±|x|) = max(±|x|, 0) + L.
func (s *sig64) sigmoids(x float64) {
	e, el := s.e, s.el
	u := 1 + e
	ul := (e - (u - 1)) + el // u - 1 is exact
	rcp := 1 / u
	c := float64(ul * rcp)
	r1 := math.FMA(-u, rcp, 1)
	sp, spl := rcp, float64(rcp*(r1-c))
	sn := float64(e * rcp)
	snl := math.FMA(e, rcp, -sn) + math.FMA(e, spl, float64(el*rcp))
	k, te, d := logReduce(u) // logHL(u), inlined
	r, rl := logR(te, d)
	w, wl := log1pHL(r)
	lh, ll := logSumHL(k, te, w, wl+rl)
	// renormalized: where u rounds to 1, L is c alone (Fast2Sum: |c| is
	// below 2^-53, |lh| at least 2^-53 unless it is 0)
	l := dd.FastTwoSum(lh, ll+c)
	a := dd.TwoSum(math.Abs(x), l.Hi)
	a.Lo += l.Lo
	neg := signMask(x)
	s.s, s.sn = swap(neg, sp, sn)
	s.sl, s.snl = swap(neg, spl, snl)
	s.cp, s.cn = swap(neg, a.Hi, l.Hi)
	s.cpl, s.cnl = swap(neg, a.Lo, l.Lo)
}

// fin64 returns Elem64's results from s. A hard target (t ∈ {0, 1}) is
// taken here, a soft one by soft64: fin32's form with every quantity the
// loss needs carried as hi+lo (e, σ(z), L, CE, q^γ, α_t), so that the loss
// rounds about once.
func fin64(x, t float64, s *sig64, w *Weight, g *Gamma, grad bool) (loss, dx float64) {
	if t != 0 && t != 1 {
		return soft64(x, t, s, w, g, grad)
	}
	// σ(±z), softplus(±z) and α_t for z = x, swapped for z = -x
	sz, szl, snz := s.s, s.sl, s.sn
	ceh, cel, cmh, cml := s.cp, s.cpl, s.cn, s.cnl
	at, atl := w.neg, w.negLo
	if t == 1 {
		sz, szl, snz = s.sn, s.snl, s.s
		ceh, cel, cmh, cml = cmh, cml, ceh, cel
		at, atl = w.pos, w.posLo
	}
	if !(math.Abs(x) <= math.MaxFloat64) || g.wide64 || w.tiny {
		return ref.ElemAt(x, t, at, g.g, grad)
	}
	m, ml := 1.0, 0.0
	switch g.mode {
	case mode1:
		m, ml = sz, szl
	case mode2:
		m = float64(sz * sz)
		ml = math.FMA(sz, sz, -m) + float64(2*sz*szl)
	case modeGen:
		// γ·log σ(z) = -γ·softplus(-z) as hi+lo: the product exact by an FMA
		yh := float64(g.g * cmh)
		yl := math.FMA(g.g, cmh, -yh) + float64(g.g*cml)
		m, ml = expHL(-yh, -yl)
	}
	// α_t·q^γ with its product's error (the one FMA of the loss but for
	// the last), then times CE rounded once; the gradient's terms have one
	// sign and its bar is wider: plain products
	amh := float64(at * m)
	aml := math.FMA(at, m, -amh) + (float64(at*ml) + float64(atl*m))
	loss = math.FMA(amh, ceh, float64(amh*cel)+float64(aml*ceh))
	if !grad {
		return loss, 0
	}
	inner := float64(float64(g.g*snz)*ceh) + sz
	return loss, float64((1 - float64(2*t)) * (float64(amh*inner) + float64(aml*inner)))
}
