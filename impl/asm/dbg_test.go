package asm

import (
	"math"
	"testing"
)

func TestDbg(t *testing.T) {
	for _, x := range []float32{-1.0524902, -1.0450821, 0.5414429} {
		z := x
		a := float32(math.Abs(float64(z)))
		e, el := expSplit(-a, 0, false)
		u := 1 + e
		rcp := 1 / u
		c := mul((e-(u-1))+el, rcp)
		r1 := fma(-u, rcp, 1)
		rc := fma(rcp, r1-c, rcp)
		sn := fma(el, rc, mul(e, rc))
		l := log1pE(u, c)
		E := math.Exp(-float64(a))
		ulp := func(got float32, want float64) float64 {
			w := float32(want)
			u := float64(math.Nextafter32(w, 2*w)) - float64(w)
			return (float64(got) - want) / math.Abs(u)
		}
		S := E / (1 + E)
		L := math.Log1p(E)
		p := mkParams(0.25, 2)
		loss, _ := elemHard(x, 0, &p)
		var sz float32 = rc
		SZ := 1 / (1 + E)
		if z < 0 {
			sz, SZ = sn, S
		}
		CE := math.Max(float64(z), 0) + L
		want := 0.75 * SZ * SZ * CE
		t.Logf("x=%v e %.2f (e+el %.2f) rc %.2f sn %.2f L %.2f m %.2f loss %.2f", x, ulp(e, E), (float64(e)+float64(el)-E)/(float64(math.Nextafter32(e, 2))-float64(e)), ulp(rc, 1/(1+E)), ulp(sn, S), ulp(l, L), ulp(mul(sz, sz), SZ*SZ), ulp(loss, want))
	}
}
