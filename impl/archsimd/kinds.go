//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/model"
)

// The vector kernels are generic functions whose type parameters select the
// operation (Loss, Sum, LossGrad) and the γ mode at compile time, as impl/asm
// emits one assembly function per pair. Each kind is an array of bytes of its
// own length, so that every pair is compiled as its own instance (Go shares
// code between type arguments of the same underlying type, not between
// different ones), in which unsafe.Sizeof of the kind is a constant: the
// branches on it fold away and each instance holds only its own operations.

type (
	kLoss     [opLoss]byte
	kSum      [opSum]byte
	kLossGrad [opLossGrad]byte
)

const (
	opLoss = iota
	opSum
	opLossGrad
)

// opKind is the operation of a kernel instance.
type opKind interface{ kLoss | kSum | kLossGrad }

type (
	kMode0   [model.Mode0]byte
	kMode1   [model.Mode1]byte
	kMode2   [model.Mode2]byte
	kModeGen [model.ModeGen]byte
)

// modeKind is the γ mode of a kernel instance.
type modeKind interface {
	kMode0 | kMode1 | kMode2 | kModeGen
}

// The forms a kernel instance runs: the flat form (x against t) or the
// sigmoid rows form (x's rows against their labels, rows.go), whose targets,
// class α and weights the kernel makes per vector from the labels and the
// call's tables; the element bodies are the same.
type (
	kFlat [formFlat]byte
	kRows [formRows]byte
)

const (
	formFlat = 1 + iota
	formRows
)

// formKind is the form of a kernel instance.
type formKind interface{ kFlat | kRows }

func formOf[F formKind]() int {
	var f F
	return int(unsafe.Sizeof(f))
}

func opOf[O opKind]() int {
	var o O
	return int(unsafe.Sizeof(o))
}

func modeOf[M modeKind]() int {
	var m M
	return int(unsafe.Sizeof(m))
}

// cutTo cuts the slices a kernel instance reads or writes besides x to x's
// length n: t in the flat form, loss unless op is Sum, grad for LossGrad,
// so that a short one panics here rather than in the loop, and the loop's
// indexing needs no bounds checks.
func cutTo[E float32 | float64](n, op int, inRows bool, loss, grad, t []E) ([]E, []E, []E) {
	if !inRows {
		t = t[:n]
	}
	if op != opSum {
		loss = loss[:n]
	}
	if op == opLossGrad {
		grad = grad[:n]
	}
	return loss, grad, t
}

// blockVecs vectors are summed in float32 lanes before the lanes are widened
// and added to the float64 accumulator (Sum32), as impl/asm does.
const blockVecs = 8
