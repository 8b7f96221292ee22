//go:build !purego

package asm

import "github.com/focalkernels/focal/impl/internal/model"

// The softmax lanes of arm64's NEON level (the generator's _asm/neon/softmax.go).
var (
	softmax32NEON = model.SoftmaxLanes32{Reduce: softmaxReduce32NEON, Scale: softmaxScale32NEON, Epi: model.SoftmaxEpiLanes32}
	softmax64NEON = model.SoftmaxLanes64{Reduce: softmaxReduce64NEON, Scale: softmaxScale64NEON}
)

func softmaxLanes32(l Level) model.SoftmaxLanes32 {
	if l == NEON {
		return softmax32NEON
	}
	return model.GenericSoftmax32
}

func softmaxLanes64(l Level) model.SoftmaxLanes64 {
	if l == NEON {
		return softmax64NEON
	}
	return model.GenericSoftmax64
}

// softmaxWidth is the number of float64 lanes level l's softmax lanes reduce
// in (the model's width for it): one 128-bit vector's for NEON.
func softmaxWidth(l Level) int {
	if l == NEON {
		return 2
	}
	return 8
}
