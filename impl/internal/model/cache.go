package model

import (
	"math"
	"sync/atomic"
)

// CacheSlots is how many distinct (α, γ) each element type's parameter
// cache holds.
const CacheSlots = 8

// A cache holds the derived parameters (Params32 or Params64) of the first
// CacheSlots distinct (α, γ) that the kernels are called with. A training
// loop calls with one (α, γ) all along, and on a small call deriving them
// showed: a float32 Sum of 16 elements at AVX512 took 27.97 ns with Set in
// the call and 24.66 with the look-up, which costs about what an empty
// call does (impl/asm's BenchmarkCall, part=call, params and cached, on an
// AMD Zen 5: results/amd-epyc-family-26-model-2/bars.md).
//
// Each slot is written once and then only read: a caller claims an empty
// slot (CompareAndSwap), fills it and marks it ready; a reader uses a slot
// only once it has seen it ready, so that it never reads a slot being
// written. Once every slot is taken, other parameters are derived per call,
// as without a cache. Nothing is allocated.
type cache[P any] struct {
	slots [CacheSlots]slot[P]
}

type slot[P any] struct {
	state        atomic.Uint32 // slotEmpty, slotBusy, slotReady
	alpha, gamma uint64        // the bits of α and γ: -0 and 0, and each NaN, are told apart
	p            P
}

const (
	slotEmpty = iota
	slotBusy
	slotReady
)

// find returns the slot that holds α's and γ's bits, if a ready one does.
// Slots are taken in order, so it stops at the first that is not ready.
func (c *cache[P]) find(ab, gb uint64) *P {
	for i := range c.slots {
		s := &c.slots[i]
		if s.state.Load() != slotReady {
			break
		}
		if s.alpha == ab && s.gamma == gb {
			return &s.p
		}
	}
	return nil
}

// fill derives the parameters for α and γ into the first free slot and
// returns them, or else (no slot free) into own. derive returns them by
// value, so that own, only written through, stays where the caller has it.
func (c *cache[P]) fill(own *P, alpha, gamma float64, derive func(alpha, gamma float64) P) *P {
	for i := range c.slots {
		s := &c.slots[i]
		if s.state.CompareAndSwap(slotEmpty, slotBusy) {
			s.alpha, s.gamma = math.Float64bits(alpha), math.Float64bits(gamma)
			s.p = derive(alpha, gamma)
			s.state.Store(slotReady)
			return &s.p
		}
	}
	*own = derive(alpha, gamma)
	return own
}

var (
	cache32 cache[Params32]
	cache64 cache[Params64]
)

// Cached32 returns the Params32 for α and γ if the cache (see cache) holds
// them, and nil otherwise; it is small enough to inline, so that a hit costs
// a caller no call. The Params32 it returns must not be written.
func Cached32(alpha, gamma float64) *Params32 {
	return cache32.find(math.Float64bits(alpha), math.Float64bits(gamma))
}

// Fill32 returns the Params32 for α and γ from a free slot of the cache,
// which it fills, or else own, set: the path after Cached32 returned nil.
// (Inlined, the call through fill's dictionary would move own to the heap.)
//
//go:noinline
func Fill32(own *Params32, alpha, gamma float64) *Params32 {
	return cache32.fill(own, alpha, gamma, NewParams32)
}

// Cached64 is Cached32 for Params64.
func Cached64(alpha, gamma float64) *Params64 {
	return cache64.find(math.Float64bits(alpha), math.Float64bits(gamma))
}

// Fill64 is Fill32 for Params64.
//
//go:noinline
func Fill64(own *Params64, alpha, gamma float64) *Params64 {
	return cache64.fill(own, alpha, gamma, NewParams64)
}
