// Package cpeer holds the C peer of the focal loss: the same formula written
// in plain C (focal_peer.h, focal_peer_body.h), compiled by the C compiler
// with -O3 -ffast-math once per instruction set (packages avx2 and avx512),
// with glibc's vector math (libmvec) for exp, log1p and pow, in float32 and
// float64. Kernels returns its kernels: c-avx2 and c-avx512, the general
// formula for any target in [0, 1] (Loss, Sum and LossGrad); c-avx2-hard and
// c-avx512-hard, the shorter z = x(1-2t) form of Sum for hard targets only.
//
// It is built only with -tags cpeer (cgo, gcc and libmvec needed), so that
// normal builds need no C compiler. With that tag the bench package's
// benchmarks time the peers beside the Go kernels, under the same names, and
// its tests hold them to the conformance kit.
//
// What it shows: how far an optimizing C compiler with a vector math library
// gets on the same formula, as a yardstick for the Go assembly. What it does
// not show: -ffast-math lets the compiler reassociate and ignore NaN and Inf,
// so the peer makes none of the special-value promises of the kernels, and
// its accuracy is libmvec's (a few ULP) and the formula's as written (σ(x)-t
// cancels where σ(x) ≈ t), not the kernels'; the conformance kit's verdict on
// it is recorded by its test. Each call also pays cgo's tens of nanoseconds,
// which shows at small N.
package cpeer
