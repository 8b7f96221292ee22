// Package cpeer holds the C peer of the focal sum: the same hard-target focal
// sum written in plain C (focal_peer.h) and compiled by the C compiler with
// -O3 -ffast-math, once per instruction set (packages avx2 and avx512), with
// glibc's vector math (libmvec) for expf, log1pf and powf.
//
// It is built only with -tags cpeer (cgo, gcc and libmvec needed), so that
// normal builds need no C compiler. With that tag, the bench package's
// BenchmarkSum runs the peers as kernels "c-avx2" and "c-avx512" beside the Go
// kernels, and its tests check the peers against the stable kernel.
//
// What it shows: how far an optimizing C compiler with a vector math library
// gets on the same formula, as a yardstick for the Go assembly. What it does
// not show: it is float32 Sum with hard targets only (no soft targets, no
// Loss or LossGrad, no float64); -ffast-math lets the compiler reassociate and
// ignore NaN and Inf, so it makes none of the special-value promises of the
// kernels and its accuracy is libmvec's (a few ULP), not the kernels'; and the
// cgo call costs tens of nanoseconds per call, which shows at small N.
package cpeer
