package kerneltest

import (
	"fmt"
	"math"

	"github.com/focalkernels/focal/internal/ulp"
)

// Level is a dispatch level of a kernel family (impl/asm's, impl/archsimd's
// Level): its name, what it needs, and its functions for both element types.
type Level interface {
	String() string
	Usable() bool
	Needs() []string
	Loss32(dst, x, t []float32, alpha, gamma float64)
	Sum32(x, t []float32, alpha, gamma float64) float64
	LossGrad32(loss, grad, x, t []float32, alpha, gamma float64)
	Loss64(dst, x, t []float64, alpha, gamma float64)
	Sum64(x, t []float64, alpha, gamma float64) float64
	LossGrad64(loss, grad, x, t []float64, alpha, gamma float64)
}

// Family is a kernel family as its tests see it: its levels on this
// architecture, lowest first, of which the first is Generic (the scalar
// model, which every level must agree with), and those usable here.
type Family struct {
	Name        string // the kernels' prefix: "asm", "archsimd"
	generic     Level
	all, usable []Level
}

// NewFamily returns family name with levels all (lowest first, Generic
// first) of which usable run here.
func NewFamily[L Level](name string, all, usable []L) Family {
	f := Family{Name: name}
	for _, l := range all {
		f.all = append(f.all, l)
	}
	for _, l := range usable {
		f.usable = append(f.usable, l)
	}
	f.generic = f.all[0]
	return f
}

// Levels is the levels a test loops over: every usable one, or with
// -toplevel the highest alone.
func (f Family) Levels() []Level { return Levels(f.usable) }

// Vector is Levels without Generic: the levels a test compares with it.
func (f Family) Vector() []Level {
	var ls []Level
	for _, l := range f.Levels() {
		if l.String() != f.generic.String() {
			ls = append(ls, l)
		}
	}
	return ls
}

// Kernel is one level's functions for element type F, named as the
// registry names it ("asm-avx2").
type Kernel[F Float] struct {
	Name     string
	Loss     func(dst, x, t []F, alpha, gamma float64)
	Sum      func(x, t []F, alpha, gamma float64) float64
	LossGrad func(loss, grad, x, t []F, alpha, gamma float64)
}

// KernelOf returns level l of family f for element type F.
func KernelOf[F Float](f Family, l Level) Kernel[F] {
	name := f.Name + "-" + l.String()
	var k any
	if Is32[F]() {
		k = Kernel[float32]{name, l.Loss32, l.Sum32, l.LossGrad32}
	} else {
		k = Kernel[float64]{name, l.Loss64, l.Sum64, l.LossGrad64}
	}
	return k.(Kernel[F])
}

// Kernels returns the kernels of levels ls of family f.
func Kernels[F Float](f Family, ls []Level) []Kernel[F] {
	ks := make([]Kernel[F], len(ls))
	for i, l := range ls {
		ks[i] = KernelOf[F](f, l)
	}
	return ks
}

// Generic is family f's Generic level for element type F.
func Generic[F Float](f Family) Kernel[F] { return KernelOf[F](f, f.generic) }

// Dist is the ULP distance of the element type; two NaNs are 0 apart.
func Dist[F Float](a, b F) uint64 {
	if Is32[F]() {
		return ulp.Dist32(float32(a), float32(b))
	}
	return ulp.Dist64(float64(a), float64(b))
}

// Same reports whether a and b have the same bits, or are both NaN.
func Same[F Float](a, b F) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	if Is32[F]() {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

// Kind classes a result for the tests that hold special values to a
// reference's: "NaN", "+Inf", "-Inf" or "finite".
func Kind(v float64) string {
	switch {
	case v != v:
		return "NaN"
	case math.IsInf(v, 0):
		return fmt.Sprint(v)
	}
	return "finite"
}

// Eps is 2^-23 or 2^-52: the unit of the gradient bars.
func Eps[F Float]() float64 {
	if Is32[F]() {
		return ulp.Eps32
	}
	return ulp.Eps64
}

// MinNormal is the element type's smallest normal.
func MinNormal[F Float]() float64 {
	if Is32[F]() {
		return 0x1p-126
	}
	return 0x1p-1022
}

// MaxFloat is the element type's largest finite value.
func MaxFloat[F Float]() float64 {
	if Is32[F]() {
		return math.MaxFloat32
	}
	return math.MaxFloat64
}

// TypeName is "float32" or "float64".
func TypeName[F Float]() string { return fmt.Sprintf("%T", F(0)) }
