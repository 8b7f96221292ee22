// Package bench holds the go test -bench benchmarks of every kernel in
// focal.Kernels, named for benchstat:
//
//	BenchmarkSum/kernel=stable/n=65536/gamma=2/type=float32
//	BenchmarkLoss/…, BenchmarkLossGrad/…
//
// so that
//
//	go tool benchstat -col /kernel -row /n -table .name,/type,/gamma bench.txt
//
// prints the kernels side by side and the sizes down the side. The ratios are
// against the first column, so the stable kernel (the pure-Go accuracy
// reference) runs first at every size; the other kernels follow in
// focal.Kernels order (naive, …, Best), then the C peers. Each benchmark reports ns/op, B/s (bytes read and
// written per op: 2 slices for Sum, 3 for Loss, 4 for LossGrad), ns/elem and
// allocs/op (always 0).
//
// The data are the main case of a detector's classification head: logits
// drawn from N(0, 4²) and hard targets, 1 with probability 1/64, 0 otherwise,
// with α = 0.25, from a fixed seed; γ is 2 (RetinaNet's default, which some
// kernels special-case) and 1.5 (the general power).
//
// Sizes are 1Ki, 64Ki, 1Mi and 16Mi elements. The 16Mi size takes long for
// the scalar pure-Go kernels (naive, stable, asm-generic), so by default it
// runs only for the SIMD kernels and the C peers; the environment variables
// below change that:
//
//	FOCAL_BENCH_FULL=1      run 16Mi for every kernel too (the full matrix)
//	FOCAL_BENCH_N=1Ki,1Mi   run only these sizes (Ki, Mi suffixes allowed)
//	go test -short          leave out 16Mi altogether
//
// Built with -tags cpeer (cgo, gcc and glibc's libmvec needed), BenchmarkSum
// also runs the C peers c-avx2 and c-avx512 (float32 only; see cpeer/).
package bench
