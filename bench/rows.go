package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/focalkernels/focal"
)

// The sigmoid rows form's benchmarks: BenchmarkSumRows, BenchmarkLossRows
// and BenchmarkLossGradRows, named
//
//	BenchmarkSumRows/kernel=K/n=N/c=C/gamma=G/targets=T/type=F
//
// with n the rows and c the classes, on an mmcv-style head (RowsData: 1%
// positive rows, 4% ignored, the rest background). T is the variant timed:
//
//	labels    the rows form, scalar α, no weights
//	weighted  the rows form with per-row weights and class α
//	smooth    the rows form with label smoothing 0.1
//	onehot    the flat form (Sum, Loss, LossGrad) of the same kernel on the
//	          same logits against the equivalent one-hot targets (N·C of
//	          them; an ignored row's are 0): the base of the rows form's ratio
//	onehot-smooth  likewise with the targets smoothed (0.95, 0.05)
//
// so that go tool benchstat -col /targets -row /kernel puts a kernel's rows
// form beside its flat form. Each reports ns/op, B/s (bytes read and
// written: the logits, the labels and per-row weights or the one-hot
// targets, and the outputs), ns/elem (per logit) and allocs/op.

// RowsSizes are the heads timed: RetinaNet's 8192 anchors (a batch's share)
// of COCO's 80 classes, and as many rows of 80 as make 16Mi logits, where
// the form streams from memory. FOCAL_BENCH_ROWS (such as 8192x80,65536x1)
// picks others; -short drops the streaming one, and scalar kernels skip it
// unless FOCAL_BENCH_FULL=1.
var RowsSizes = [][2]int{{8192, 80}, {Huge / 80, 80}}

// RowsTargets are the variants timed (see above).
var RowsTargets = []string{"onehot", "labels", "weighted", "smooth", "onehot-smooth"}

// The mmcv-style head's label rates: 1% of rows positive (a random class),
// 4% ignored, the rest background.
const (
	RowsPositive = 0.01
	RowsIgnored  = 0.04
)

// Smoothing is the label smoothing of the smooth variants.
const Smoothing = 0.1

// RowsData returns n rows of c logits from N(0, 4²) with labels at
// RowsPositive and RowsIgnored (the rest background, label c), per-row
// weights in [0.5, 1.5), class α spread over [0.1, 0.4], and the equivalent
// one-hot targets (1 at a positive row's class; 0 elsewhere, ignored rows
// included): the same for every call with the same n, c and element type.
func RowsData[F focal.Float](n, c int) (r focal.Rows[F], classAlpha []float64, onehot []F) {
	rng := rand.New(rand.NewPCG(0x0c0c0, uint64(n*c)))
	r = focal.Rows[F]{X: make([]F, n*c), Labels: make([]int32, n), C: c, Weight: make([]F, n)}
	onehot = make([]F, n*c)
	for i := range r.X {
		r.X[i] = F(4 * rng.NormFloat64())
	}
	for i := range r.Labels {
		switch u := rng.Float64(); {
		case u < RowsPositive:
			r.Labels[i] = int32(rng.IntN(c))
			onehot[i*c+int(r.Labels[i])] = 1
		case u < RowsPositive+RowsIgnored:
			r.Labels[i] = -1
		default:
			r.Labels[i] = int32(c)
		}
		r.Weight[i] = F(0.5 + rng.Float64())
	}
	classAlpha = make([]float64, c)
	for i := range classAlpha {
		classAlpha[i] = 0.1 + 0.3*float64(i)/float64(max(c-1, 1))
	}
	return r, classAlpha, onehot
}

// RowsName is a rows benchmark's sub-name.
func RowsName(kernel string, n, c int, gamma float64, targets, typ string) string {
	return fmt.Sprintf("kernel=%s/n=%d/c=%d/gamma=%g/targets=%s/type=%s", kernel, n, c, gamma, targets, typ)
}

// rowsData are one head's inputs and outputs, made before the timer starts.
type rowsData[F focal.Float] struct {
	r                focal.Rows[F]
	classAlpha       []float64
	onehot, smoothed []F
	loss, grad       []F
}

// SumRows benchmarks ks' SumRows (and their flat Sum for the onehot
// variants) over the rows matrix: RowsSizes, Gammas and RowsTargets. A
// kernel must also implement focal.Kernel[F] for the onehot variants (every
// kernel of this module does; others are timed on the rows form alone).
func SumRows[F focal.Float](b *testing.B, ks ...focal.RowsKernel[F]) {
	rowsMatrix(b, ks, 0, func(b *testing.B, k focal.RowsKernel[F], d *rowsData[F], p focal.Params, flat []F) {
		var s float64
		if flat != nil {
			f := k.(focal.Kernel[F])
			for b.Loop() {
				s += f.Sum(d.r.X, flat, p)
			}
		} else {
			for b.Loop() {
				v, _ := k.SumRows(d.r, p)
				s += v
			}
		}
		runtime.KeepAlive(s)
	})
}

// LossRows benchmarks ks' LossRows (and flat Loss) as SumRows does.
func LossRows[F focal.Float](b *testing.B, ks ...focal.RowsKernel[F]) {
	rowsMatrix(b, ks, 1, func(b *testing.B, k focal.RowsKernel[F], d *rowsData[F], p focal.Params, flat []F) {
		if flat != nil {
			f := k.(focal.Kernel[F])
			for b.Loop() {
				f.Loss(d.loss, d.r.X, flat, p)
			}
		} else {
			for b.Loop() {
				k.LossRows(d.loss, d.r, p)
			}
		}
		keep(d.loss)
	})
}

// LossGradRows benchmarks ks' LossGradRows (and flat LossGrad), with a loss
// output, as SumRows does.
func LossGradRows[F focal.Float](b *testing.B, ks ...focal.RowsKernel[F]) {
	rowsMatrix(b, ks, 2, func(b *testing.B, k focal.RowsKernel[F], d *rowsData[F], p focal.Params, flat []F) {
		if flat != nil {
			f := k.(focal.Kernel[F])
			for b.Loop() {
				f.LossGrad(d.loss, d.grad, d.r.X, flat, p)
			}
		} else {
			for b.Loop() {
				k.LossGradRows(d.loss, d.grad, d.r, p)
			}
		}
		keep(d.loss)
		keep(d.grad)
	})
}

// rowsMatrix runs body for every head, target variant, γ and kernel; outs is
// the number of N·C outputs the operation writes.
func rowsMatrix[F focal.Float](b *testing.B, ks []focal.RowsKernel[F], outs int, body func(b *testing.B, k focal.RowsKernel[F], d *rowsData[F], p focal.Params, flat []F)) {
	sizes, err := envRows()
	if err != nil {
		b.Fatal(err)
	}
	es := int(unsafe.Sizeof(F(0)))
	for _, sz := range sizes {
		n, c := sz[0], sz[1]
		if testing.Short() && n*c >= Huge {
			continue
		}
		var d *rowsData[F]
		for _, variant := range RowsTargets {
			for _, g := range Gammas {
				for _, k := range rowsBaseFirst(ks) {
					flatOnly := strings.HasPrefix(variant, "onehot")
					if _, ok := k.(focal.Kernel[F]); flatOnly && !ok {
						continue
					}
					if !runs(k, n*c, Hard) {
						continue
					}
					b.Run(RowsName(k.Name(), n, c, g, variant, TypeName[F]()), func(b *testing.B) {
						if d == nil {
							d = newRowsData[F](n, c)
						}
						r, p := d.r, focal.Params{Alpha: Alpha, Gamma: g}
						in := n*c*es + 4*n // the logits and the labels
						var flat []F
						switch variant {
						case "labels":
							r.Weight = nil
						case "weighted":
							p.ClassAlpha = d.classAlpha
							in += n * es
						case "smooth":
							r.Weight = nil
							p.Smoothing = Smoothing
						case "onehot":
							flat, in = d.onehot, 2*n*c*es
						case "onehot-smooth":
							flat, in = d.smoothed, 2*n*c*es
						}
						dd := *d
						dd.r = r
						b.SetBytes(int64(in + outs*n*c*es))
						b.ReportAllocs()
						b.ResetTimer()
						body(b, k, &dd, p, flat)
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*c), "ns/elem")
					})
				}
			}
		}
	}
}

func newRowsData[F focal.Float](n, c int) *rowsData[F] {
	r, ca, onehot := RowsData[F](n, c)
	sm := make([]F, len(onehot))
	for i, v := range onehot {
		sm[i] = F(Smoothing / 2)
		if v == 1 {
			sm[i] = F(1 - Smoothing/2)
		}
	}
	d := &rowsData[F]{r: r, classAlpha: ca, onehot: onehot, smoothed: sm, loss: make([]F, n*c), grad: make([]F, n*c)}
	clear(d.loss) // fault the outputs' pages in before the timing
	clear(d.grad)
	return d
}

// rowsBaseFirst returns ks with the base kernel (stable) first.
func rowsBaseFirst[F focal.Float](ks []focal.RowsKernel[F]) []focal.RowsKernel[F] {
	var out, rest []focal.RowsKernel[F]
	for _, k := range ks {
		if k.Name() == base {
			out = append(out, k)
		} else {
			rest = append(rest, k)
		}
	}
	return append(out, rest...)
}

// envRows reads FOCAL_BENCH_ROWS (NxC,…), or gives RowsSizes.
func envRows() ([][2]int, error) {
	s := os.Getenv("FOCAL_BENCH_ROWS")
	if s == "" {
		return RowsSizes, nil
	}
	var out [][2]int
	for _, f := range strings.Split(s, ",") {
		a, b, ok := strings.Cut(strings.TrimSpace(f), "x")
		n, err1 := ParseSize(a)
		c, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || c < 1 {
			return nil, fmt.Errorf("FOCAL_BENCH_ROWS: %q: want rows x classes, such as 8192x80 or 64Kix1", f)
		}
		out = append(out, [2]int{n, c})
	}
	return out, nil
}

// CheckedRows returns the checked rows API as a kernel: focal.SumRows,
// LossRows and LossGradRows on Best (validation included), and the checked
// flat functions for the onehot variants. It panics on an error, which the
// benchmarks' inputs never give.
func CheckedRows[F focal.Float]() focal.RowsKernel[F] { return checkedRows[F]{checked[F]{}} }

type checkedRows[F focal.Float] struct{ checked[F] }

func (checkedRows[F]) LossRows(dst []F, r focal.Rows[F], p focal.Params) {
	must(focal.LossRows(dst, r, p))
}

func (checkedRows[F]) SumRows(r focal.Rows[F], p focal.Params) (float64, int) {
	return must2(focal.SumRows(r, p))
}

func (checkedRows[F]) LossGradRows(loss, grad []F, r focal.Rows[F], p focal.Params) {
	must(focal.LossGradRows(loss, grad, r, p))
}
