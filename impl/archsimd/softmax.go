//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "github.com/focalkernels/focal/impl/internal/model"

// The softmax focal loss over N rows of C logits (Rows), with the
// preconditions and results of impl/stable's softmax functions, by
// impl/internal/model's row loop with each level's lanes: impl/asm's
// algorithm (see its softmax.go) in Go intrinsics (softmax_avx2.go, and its
// AVX-512 copy), which agree with the lanes' scalar model bit for bit at
// their width (TestSoftmaxAgree). Generic is the scalar model. Calling a
// level that is not usable panics, as for the flat functions.

// SoftmaxLoss32 writes each row's loss into dst, at the best level.
func SoftmaxLoss32(dst []float32, r Rows[float32], p Params) { usable.SoftmaxLoss32(dst, r, p) }

// SoftmaxLoss64 is SoftmaxLoss32 for float64.
func SoftmaxLoss64(dst []float64, r Rows[float64], p Params) { usable.SoftmaxLoss64(dst, r, p) }

// SoftmaxSum32 returns the sum of the rows' losses and the number of rows
// not ignored, at the best level.
func SoftmaxSum32(r Rows[float32], p Params) (sum float64, rows int) {
	return usable.SoftmaxSum32(r, p)
}

// SoftmaxSum64 is SoftmaxSum32 for float64.
func SoftmaxSum64(r Rows[float64], p Params) (sum float64, rows int) {
	return usable.SoftmaxSum64(r, p)
}

// SoftmaxLossGrad32 writes each row's loss (unless loss is nil) and its
// gradient, at the best level.
func SoftmaxLossGrad32(loss, grad []float32, r Rows[float32], p Params) {
	usable.SoftmaxLossGrad32(loss, grad, r, p)
}

// SoftmaxLossGrad64 is SoftmaxLossGrad32 for float64.
func SoftmaxLossGrad64(loss, grad []float64, r Rows[float64], p Params) {
	usable.SoftmaxLossGrad64(loss, grad, r, p)
}

// softmaxLanes32 and softmaxLanes64 are level l's lanes.
func softmaxLanes32(l Level) model.SoftmaxLanes32 {
	switch l {
	case AVX2:
		return model.SoftmaxLanes32{Reduce: softmaxReduce32AVX2, Scale: softmaxScale32AVX2, Epi: softmaxEpi32AVX2}
	case AVX512:
		return model.SoftmaxLanes32{Reduce: softmaxReduce32AVX512, Scale: softmaxScale32AVX512, Epi: softmaxEpi32AVX512}
	}
	return model.GenericSoftmax32
}

func softmaxLanes64(l Level) model.SoftmaxLanes64 {
	switch l {
	case AVX2:
		return model.SoftmaxLanes64{Reduce: softmaxReduce64AVX2, Scale: softmaxScale64AVX2}
	case AVX512:
		return model.SoftmaxLanes64{Reduce: softmaxReduce64AVX512, Scale: softmaxScale64AVX512}
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

// SoftmaxLoss32 is the package's SoftmaxLoss32 at level l.
func (l Level) SoftmaxLoss32(dst []float32, r Rows[float32], p Params) {
	l.check()
	model.SoftmaxLoss32(dst, r, p, softmaxLanes32(l))
}

// SoftmaxLoss64 is the package's SoftmaxLoss64 at level l.
func (l Level) SoftmaxLoss64(dst []float64, r Rows[float64], p Params) {
	l.check()
	model.SoftmaxLoss64(dst, r, p, softmaxLanes64(l))
}

// SoftmaxSum32 is the package's SoftmaxSum32 at level l.
func (l Level) SoftmaxSum32(r Rows[float32], p Params) (sum float64, rows int) {
	l.check()
	return model.SoftmaxSum32(r, p, softmaxLanes32(l))
}

// SoftmaxSum64 is the package's SoftmaxSum64 at level l.
func (l Level) SoftmaxSum64(r Rows[float64], p Params) (sum float64, rows int) {
	l.check()
	return model.SoftmaxSum64(r, p, softmaxLanes64(l))
}

// SoftmaxLossGrad32 is the package's SoftmaxLossGrad32 at level l.
func (l Level) SoftmaxLossGrad32(loss, grad []float32, r Rows[float32], p Params) {
	l.check()
	model.SoftmaxLossGrad32(loss, grad, r, p, softmaxLanes32(l))
}

// SoftmaxLossGrad64 is the package's SoftmaxLossGrad64 at level l.
func (l Level) SoftmaxLossGrad64(loss, grad []float64, r Rows[float64], p Params) {
	l.check()
	model.SoftmaxLossGrad64(loss, grad, r, p, softmaxLanes64(l))
}

// plainEnd returns where a row's plain steps end (the end of its whole
// vectors of w lanes, or 0 where its maximum is infinite or it has none
// finite: inf) and where its label c's vector starts, which takes the
// full step. Both are integers, so that the loop tests no float scalar.
func plainEnd(inf bool, n, c, w int) (pe, cl int) {
	if inf {
		return 0, c - c%w
	}
	return n - n%w, c - c%w
}
