package model

import (
	"math"
	"sync"
	"testing"
)

// cacheParams are more distinct (α, γ) than a cache holds, with α = 0 and
// -0, whose Params32 differ in sign, and α < 0.
var cacheParams = [][2]float64{
	{0.25, 2}, {0.25, 1.5}, {0, 2}, {math.Copysign(0, -1), 2}, {-1, 2}, {0.5, 0},
	{0.75, 1}, {0.1, 3}, {0.9, 4.5}, {1, 2}, {0.25, 7}, {1e-40, 2},
}

// equal32 reports whether a and b are the same bits.
func equal32(a, b *Params32) bool {
	f := func(v float32) uint32 { return math.Float32bits(v) }
	return f(a.A1) == f(b.A1) && f(a.A0) == f(b.A0) && f(a.A1lo) == f(b.A1lo) && f(a.A0lo) == f(b.A0lo) &&
		f(a.G) == f(b.G) && f(a.Glo) == f(b.Glo) && a.Mode == b.Mode && a.Wide == b.Wide &&
		math.Float64bits(a.Alpha) == math.Float64bits(b.Alpha) && math.Float64bits(a.Gamma) == math.Float64bits(b.Gamma)
}

// A cache gives the parameters Set gives, keeps the first CacheSlots
// distinct ones, and gives nothing for others once it is full.
func TestCache(t *testing.T) {
	var c cache[Params32]
	for i, ag := range cacheParams {
		want := NewParams32(ag[0], ag[1])
		if p := c.find(math.Float64bits(ag[0]), math.Float64bits(ag[1])); p != nil {
			t.Fatalf("α = %v, γ = %v: found before it was filled", ag[0], ag[1])
		}
		own := new(Params32)
		p := c.fill(own, ag[0], ag[1], NewParams32)
		if (p != own) != (i < CacheSlots) {
			t.Fatalf("α = %v, γ = %v, the %d-th: fill gave own = %v; want a slot while there are %d", ag[0], ag[1], i+1, p == own, CacheSlots)
		}
		if !equal32(p, &want) {
			t.Errorf("α = %v, γ = %v: filled %+v, Set gives %+v", ag[0], ag[1], *p, want)
		}
	}
	for i, ag := range cacheParams {
		p := c.find(math.Float64bits(ag[0]), math.Float64bits(ag[1]))
		if (p != nil) != (i < CacheSlots) {
			t.Fatalf("α = %v, γ = %v, the %d-th: find gave %v", ag[0], ag[1], i+1, p)
		}
		if want := NewParams32(ag[0], ag[1]); p != nil && !equal32(p, &want) {
			t.Errorf("α = %v, γ = %v: found %+v, Set gives %+v", ag[0], ag[1], *p, want)
		}
	}
}

// Goroutines that look up and fill one cache at once each get the
// parameters Set gives; under -race, the slots' publication is checked too.
func TestCacheConcurrent(t *testing.T) {
	var c cache[Params32]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for r := range 50 {
				ag := cacheParams[(g+r)%len(cacheParams)]
				p := c.find(math.Float64bits(ag[0]), math.Float64bits(ag[1]))
				if p == nil {
					p = c.fill(new(Params32), ag[0], ag[1], NewParams32)
				}
				if want := NewParams32(ag[0], ag[1]); !equal32(p, &want) {
					t.Errorf("α = %v, γ = %v: got %+v, Set gives %+v", ag[0], ag[1], *p, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// Cached32 and Fill32 (and the 64-bit pair) give Set's parameters, from the
// package's caches or from own.
func TestCached(t *testing.T) {
	for _, ag := range cacheParams {
		p := Cached32(ag[0], ag[1])
		if p == nil {
			p = Fill32(new(Params32), ag[0], ag[1])
		}
		if want := NewParams32(ag[0], ag[1]); !equal32(p, &want) {
			t.Errorf("float32, α = %v, γ = %v: got %+v, Set gives %+v", ag[0], ag[1], *p, want)
		}
		q := Cached64(ag[0], ag[1])
		if q == nil {
			q = Fill64(new(Params64), ag[0], ag[1])
		}
		if want := NewParams64(ag[0], ag[1]); *q != want {
			t.Errorf("float64, α = %v, γ = %v: got %+v, Set gives %+v", ag[0], ag[1], *q, want)
		}
	}
}
