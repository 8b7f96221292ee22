//go:build cpeer

package avx512

/*
#cgo CFLAGS: -O3 -ffast-math -march=x86-64-v4
#cgo LDFLAGS: -lmvec -lm
#include <stddef.h>
double focal_peer_sum32_avx512(const float *x, const float *t, size_t n, float alpha, float gamma);
*/
import "C"

import "unsafe"

// Sum32 returns the focal sum of x against the hard targets t (0 or 1),
// computed by the C peer. len(t) must be at least len(x).
func Sum32(x, t []float32, alpha, gamma float64) float64 {
	if len(x) == 0 {
		return 0
	}
	_ = t[len(x)-1]
	return float64(C.focal_peer_sum32_avx512((*C.float)(unsafe.Pointer(&x[0])), (*C.float)(unsafe.Pointer(&t[0])),
		C.size_t(len(x)), C.float(alpha), C.float(gamma)))
}
