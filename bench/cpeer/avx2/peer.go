//go:build cpeer

package avx2

/*
#cgo CFLAGS: -O3 -ffast-math -march=x86-64-v3
#cgo LDFLAGS: -lmvec -lm
#include <stddef.h>
void focal_peer_loss32_avx2(float *dst, const float *x, const float *t, size_t n, double a, double g);
double focal_peer_sum32_avx2(const float *x, const float *t, size_t n, double a, double g);
void focal_peer_lossgrad32_avx2(float *loss, float *grad, const float *x, const float *t, size_t n, double a, double g);
double focal_peer_sumhard32_avx2(const float *x, const float *t, size_t n, double a, double g);
void focal_peer_loss64_avx2(double *dst, const double *x, const double *t, size_t n, double a, double g);
double focal_peer_sum64_avx2(const double *x, const double *t, size_t n, double a, double g);
void focal_peer_lossgrad64_avx2(double *loss, double *grad, const double *x, const double *t, size_t n, double a, double g);
double focal_peer_sumhard64_avx2(const double *x, const double *t, size_t n, double a, double g);
*/
import "C"

import "unsafe"

// The functions take slices with len(t), len(dst), len(loss) and len(grad)
// at least len(x) (loss may be nil in LossGrad*); the callers in package
// cpeer check that.

func p32(s []float32) *C.float  { return (*C.float)(unsafe.Pointer(unsafe.SliceData(s))) }
func p64(s []float64) *C.double { return (*C.double)(unsafe.Pointer(unsafe.SliceData(s))) }
func n(x []float32) C.size_t    { return C.size_t(len(x)) }
func n64(x []float64) C.size_t  { return C.size_t(len(x)) }
func d(v float64) C.double      { return C.double(v) }

func Loss32(dst, x, t []float32, a, g float64) {
	C.focal_peer_loss32_avx2(p32(dst), p32(x), p32(t), n(x), d(a), d(g))
}
func Sum32(x, t []float32, a, g float64) float64 {
	return float64(C.focal_peer_sum32_avx2(p32(x), p32(t), n(x), d(a), d(g)))
}
func LossGrad32(loss, grad, x, t []float32, a, g float64) {
	C.focal_peer_lossgrad32_avx2(p32(loss), p32(grad), p32(x), p32(t), n(x), d(a), d(g))
}
func SumHard32(x, t []float32, a, g float64) float64 {
	return float64(C.focal_peer_sumhard32_avx2(p32(x), p32(t), n(x), d(a), d(g)))
}
func Loss64(dst, x, t []float64, a, g float64) {
	C.focal_peer_loss64_avx2(p64(dst), p64(x), p64(t), n64(x), d(a), d(g))
}
func Sum64(x, t []float64, a, g float64) float64 {
	return float64(C.focal_peer_sum64_avx2(p64(x), p64(t), n64(x), d(a), d(g)))
}
func LossGrad64(loss, grad, x, t []float64, a, g float64) {
	C.focal_peer_lossgrad64_avx2(p64(loss), p64(grad), p64(x), p64(t), n64(x), d(a), d(g))
}
func SumHard64(x, t []float64, a, g float64) float64 {
	return float64(C.focal_peer_sumhard64_avx2(p64(x), p64(t), n64(x), d(a), d(g)))
}
