// Package bench times focal loss kernels with go test -bench, named for
// benchstat:
//
//	BenchmarkSum/kernel=stable/n=65536/gamma=2/targets=hard/type=float32
//	BenchmarkLoss/…, BenchmarkLossGrad/…, BenchmarkMean/…, BenchmarkStream/…
//
// so that
//
//	go tool benchstat -col /kernel -row /n -table .name,/type,/gamma,/targets bench.txt
//
// prints the kernels side by side and the sizes down the side. The ratios are
// against the first column, so the stable kernel (the pure-Go accuracy
// reference) runs first at every point; the other kernels follow in
// focal.Kernels order (naive, …, Best), then kernel=checked (the checked API,
// focal.Sum and friends on Best, validation included), then the C peers
// (-tags cpeer; see cpeer/). Each reports ns/op, B/s (bytes read and written
// per op: 2 slices for Sum, 3 for Loss, 4 for LossGrad), ns/elem and
// allocs/op (0 for the kernels and the checked API: TestNoAllocs).
// BenchmarkMean times the checked Mean against Best's Sum/N; BenchmarkStream
// the machine's streaming floor for the same bytes.
//
// The sigmoid rows form has its own (rows.go): BenchmarkSumRows, LossRows
// and LossGradRows, named …/kernel=K/n=N/c=C/gamma=G/targets=T/type=F with n
// the rows, on an mmcv-style head (RowsData: 1% of rows positive, 4%
// ignored, the rest background) of RowsSizes (8192 rows of 80 classes, and
// 16Mi logits of 80), where T is the variant (labels; weighted: per-row
// weights and class α; smooth: label smoothing 0.1) or the kernel's flat
// form on the equivalent one-hot targets (onehot, onehot-smooth), the base
// of the rows form's ratios: go tool benchstat -col /targets -row /kernel.
// FOCAL_BENCH_ROWS=8192x80,64Kix1 picks other heads; make bench-rows records
// them.
//
// The exported Sum, Loss and LossGrad run the same matrix for any kernels, so
// that a kernel from another project is timed under the same names (see the
// example). The matrix and its data have one source, here: Sizes (1Ki, 64Ki,
// 1Mi, 16Mi), Gammas (2, RetinaNet's and special-cased by some kernels; 1.5,
// a general power), the target kinds (Targets: hard, label smoothing 0.1,
// IoU-style) and Data (logits from N(0, 4²), positives at PositiveRate,
// α = Alpha, a fixed seed). focal compare and focal report use Data, At and
// Grid too.
//
// The 16Mi size takes long for the scalar kernels (focal.Spec.Scalar: naive,
// stable, asm-generic), so by default it runs only for the others; the
// environment variables below change that:
//
//	FOCAL_BENCH_FULL=1           run 16Mi for every kernel too (the full matrix)
//	FOCAL_BENCH_N=1Ki,1Mi        run only these sizes (Ki, Mi suffixes allowed)
//	FOCAL_BENCH_TARGETS=hard,iou run only these target kinds
//	go test -short               leave out 16Mi altogether
package bench
