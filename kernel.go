package focal

import (
	"unsafe"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/naive"
	"github.com/focalkernels/focal/impl/stable"
)

// Float is the element type of a kernel: float32 or float64, or a type based on one.
type Float interface{ ~float32 | ~float64 }

// Kernel is one implementation of the focal loss for element type F. Its methods
// do not validate: x, t and the outputs must have equal lengths (loss may be
// nil in LossGrad), targets must be in [0, 1] and p must pass Validate.
// They never allocate and are safe for concurrent use.
type Kernel[F Float] interface {
	// Name identifies the kernel: "naive", "stable", "asm-generic", "asm-avx2", "asm-avx512".
	Name() string
	// Loss writes the per-element loss of x against t into dst.
	Loss(dst, x, t []F, p Params)
	// Sum returns the sum of the per-element losses.
	Sum(x, t []F, p Params) float64
	// LossGrad writes the loss (unless loss is nil) and its derivative with respect to x.
	LossGrad(loss, grad, x, t []F, p Params)
}

// funcs are one kernel's functions for one element type, as the impl packages
// export them, and the accuracy it declares for that type.
type funcs[E float32 | float64] struct {
	loss     func(dst, x, t []E, alpha, gamma float64)
	sum      func(x, t []E, alpha, gamma float64) float64
	lossGrad func(loss, grad, x, t []E, alpha, gamma float64)
	bar      Bar
	rows     rowsFuncs[E]
	softmax  softmaxFuncs[E]
}

// entry is a kernel of this build and its contract (see Spec); f32 or f64 is
// nil when it has no such functions.
type entry struct {
	name   string
	needs  []string
	scalar bool
	runs   bool
	f32    *funcs[float32]
	f64    *funcs[float64]
	level  *asm.Level // impl/asm's level, whose flat methods the kernel calls directly (levelKernel)
}

func (e entry) spec() Spec {
	s := Spec{Name: e.name, Needs: e.needs, Scalar: e.scalar, Runs: e.runs, Rank: rank[e.name]}
	if e.f32 != nil {
		b := e.f32.bar
		s.Bar32 = &b
	}
	if e.f64 != nil {
		b := e.f64.bar
		s.Bar64 = &b
	}
	return s
}

// known lists every kernel of this build, naive and stable first; registry
// those that run here. Best is decided by rank, not by position.
var (
	known = append([]entry{
		{name: "naive", scalar: true, runs: true,
			// declared valid on a range only: within naive.ValidRelErr there
			f32: &funcs[float32]{naive.Loss32, naive.Sum32, naive.LossGrad32,
				Bar{Rel: naive.ValidRelErr, MaxAbsX: naive.ValidRange32, MaxGamma: naive.ValidGamma},
				rowsFuncs[float32]{naive.LossRows32, naive.SumRows32, naive.LossGradRows32}, naiveSoftmax32},
			f64: &funcs[float64]{naive.Loss64, naive.Sum64, naive.LossGrad64,
				Bar{Rel: naive.ValidRelErr, MaxAbsX: naive.ValidRange64, MaxGamma: naive.ValidGamma},
				rowsFuncs[float64]{naive.LossRows64, naive.SumRows64, naive.LossGradRows64}, naiveSoftmax64}},
		{name: "stable", scalar: true, runs: true,
			// float32 computes in float64 and rounds once
			f32: &funcs[float32]{stable.Loss32, stable.Sum32, stable.LossGrad32, Bar{LossULP: 1, Grad: 2},
				rowsFuncs[float32]{stable.LossRows32, stable.SumRows32, stable.LossGradRows32}, stableSoftmax32},
			f64: &funcs[float64]{stable.Loss64, stable.Sum64, stable.LossGrad64, Bar{LossULP: 4, Grad: 8},
				rowsFuncs[float64]{stable.LossRows64, stable.SumRows64, stable.LossGradRows64}, stableSoftmax64}},
	}, append(archsimdEntries(), asmEntries()...)...)
	registry = runnable(known)
)

func runnable(es []entry) []entry {
	var out []entry
	for _, e := range es {
		if e.runs {
			out = append(out, e)
		}
	}
	return out
}

// kernel adapts an entry's functions to Kernel[F]; E is F's underlying type.
type kernel[F Float, E float32 | float64] struct {
	name string
	fn   *funcs[E]
}

func (k kernel[F, E]) Name() string { return k.name }

func (k kernel[F, E]) Loss(dst, x, t []F, p Params) {
	k.fn.loss(as[E](dst), as[E](x), as[E](t), p.Alpha, p.Gamma)
}

func (k kernel[F, E]) Sum(x, t []F, p Params) float64 {
	return k.fn.sum(as[E](x), as[E](t), p.Alpha, p.Gamma)
}

func (k kernel[F, E]) LossGrad(loss, grad, x, t []F, p Params) {
	k.fn.lossGrad(as[E](loss), as[E](grad), as[E](x), as[E](t), p.Alpha, p.Gamma)
}

// as views a slice of a type based on float32 or float64 as that type (E,
// F's underlying type); nil stays nil. It reinterprets the slice header, which
// is the same for both: unsafe.Slice would check the length against the
// address space on every call, a few ns of a 16-element call.
func as[E float32 | float64, F Float](s []F) []E {
	return *(*[]E)(unsafe.Pointer(&s))
}

func is32[F Float]() bool { return unsafe.Sizeof(F(0)) == 4 }

// Lookup returns the kernel called name for element type F, if it runs here.
func Lookup[F Float](name string) (Kernel[F], bool) {
	for _, e := range registry {
		if e.name == name {
			if k := adapt[F](e); k != nil {
				return k, true
			}
		}
	}
	return nil, false
}

// Kernels returns every kernel that runs on this CPU for element type F,
// naive first.
func Kernels[F Float]() []Kernel[F] {
	var ks []Kernel[F]
	for _, e := range registry {
		if k := adapt[F](e); k != nil {
			ks = append(ks, k)
		}
	}
	return ks
}

func adapt[F Float](e entry) Kernel[F] {
	if is32[F]() {
		if e.f32 != nil {
			return direct(e, kernel[F, float32]{e.name, e.f32})
		}
	} else if e.f64 != nil {
		return direct(e, kernel[F, float64]{e.name, e.f64})
	}
	return nil
}

// Best returns the kernel to use on this CPU for element type F: of the
// kernels that run here, the one of the highest rank (see rank). The ranks
// order the kernels by their speed as measured (results/ holds the
// benchmarks): each vector level above the scalar kernels, wider vectors
// above narrower, impl/asm above impl/archsimd on the same instructions; all
// of them keep the accuracy this module's tests assert.
func Best[F Float]() Kernel[F] {
	if is32[F]() {
		return direct(best32, kernel[F, float32]{best32.name, best32.f32})
	}
	return direct(best64, kernel[F, float64]{best64.name, best64.f64})
}

// best32 and best64 are Best's entries, kept so that the checked functions
// reach the kernel without boxing it in an interface, which would allocate.
var best32, best64 = best(func(e entry) bool { return e.f32 != nil }), best(func(e entry) bool { return e.f64 != nil })

// rank orders the kernels for Best: a kernel not listed is never Best (naive,
// whose accuracy holds on a range only; asm-generic, the lanes' model, which
// emulates float32 FMA and is slower than stable). The order is the measured
// one (make bench, and with -tags purego): stable, then asm-purego (the fast
// pure-Go kernel, Best where no vector level runs), then impl/asm's and
// impl/archsimd's vector levels, wider above narrower, asm above archsimd on
// the same instructions. asm-neon is the only vector level on arm64, where
// this module is tested under qemu, which cannot time it: its place above
// asm-purego rests on llvm-mca's estimate (results/<machine>/neon.md).
var rank = map[string]int{
	"stable":          1,
	"asm-purego":      2,
	"asm-neon":        3,
	"archsimd-avx2":   3,
	"asm-avx2":        4,
	"archsimd-avx512": 5,
	"asm-avx512":      6,
}

// best returns the running entry of the highest rank among those that has
// accepts.
func best(has func(entry) bool) entry {
	var b *entry
	for i, e := range registry {
		if has(e) && (b == nil || rank[e.name] > rank[b.name]) {
			b = &registry[i]
		}
	}
	if b == nil {
		panic("focal: no kernel registered")
	}
	return *b
}
