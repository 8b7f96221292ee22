//go:build !purego

package asm

import "github.com/focalkernels/focal/impl/internal/model"

// The softmax lanes of amd64's levels (the generator's _asm/softmax.go).
var (
	softmax32AVX2   = model.SoftmaxLanes32{Reduce: softmaxReduce32AVX2, Scale: softmaxScale32AVX2, Epi: softmaxEpi32AVX2}
	softmax32AVX512 = model.SoftmaxLanes32{Reduce: softmaxReduce32AVX512, Scale: softmaxScale32AVX512, Epi: softmaxEpi32AVX512}
	softmax64AVX2   = model.SoftmaxLanes64{Reduce: softmaxReduce64AVX2, Scale: softmaxScale64AVX2}
	softmax64AVX512 = model.SoftmaxLanes64{Reduce: softmaxReduce64AVX512, Scale: softmaxScale64AVX512}
)

func softmaxLanes32(l Level) model.SoftmaxLanes32 {
	switch l {
	case AVX2:
		return softmax32AVX2
	case AVX512:
		return softmax32AVX512
	}
	return model.GenericSoftmax32
}

func softmaxLanes64(l Level) model.SoftmaxLanes64 {
	switch l {
	case AVX2:
		return softmax64AVX2
	case AVX512:
		return softmax64AVX512
	}
	return model.GenericSoftmax64
}

// softmaxWidth is the number of float64 lanes level l's softmax lanes reduce
// in (the model's width for it).
func softmaxWidth(l Level) int {
	if l == AVX2 {
		return 4
	}
	return 8
}
