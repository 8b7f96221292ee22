package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"unsafe"

	"github.com/focalkernels/focal"
)

// The softmax form's benchmarks: N rows of C logits with labels, named
//
//	kernel=K/n=N/c=C/gamma=G/targets=T/type=F
//
// (n is the number of rows; ns/elem is per logit, N·C), in the module's
// key order, so that benchstat -col /kernel and focal choose read them as
// they read the flat form's.

// SoftmaxRows is the number of rows of the softmax benchmarks, and
// SoftmaxCs their class counts: a three-class head, COCO's 80 (the speed
// bars' point) and ImageNet's 1000. Scalar kernels skip C = 1000 unless
// FOCAL_BENCH_FULL=1 (at 10 to 100 ns per logit one call takes a second).
var (
	SoftmaxRows = []int{8192}
	SoftmaxCs   = []int{3, 80, 1000}
)

// SoftmaxTargets is a kind of softmax rows: the state of the model the
// rows come from, which sends a row down the label-is-the-maximum path or
// the other.
type SoftmaxTargets string

const (
	// Random rows: logits from N(0, 4²), labels uniform: a head early in
	// training, where the label is rarely the row's maximum.
	Random SoftmaxTargets = "random"
	// Trained rows: the label's logit ahead of the others by a margin
	// uniform in [2, 14], 1-p_c from about 0.1 down to 1e-6 and below: late
	// in training, the rows the focal loss is for.
	Trained SoftmaxTargets = "trained"
)

// AllSoftmaxTargets lists the kinds.
var AllSoftmaxTargets = []SoftmaxTargets{Random, Trained}

// SoftmaxData returns n rows of c logits of the given kind with their
// labels: the same for every call with the same n, c, kind and type.
func SoftmaxData[F focal.Float](n, c int, kind SoftmaxTargets) focal.Rows[F] {
	r := rand.New(rand.NewPCG(0x50f7, uint64(n*c)))
	rows := focal.Rows[F]{X: make([]F, n*c), Labels: make([]int32, n), C: c}
	for i := range n {
		l := r.IntN(c)
		rows.Labels[i] = int32(l)
		x := rows.X[i*c : (i+1)*c]
		top := F(-1e30)
		for j := range x {
			x[j] = F(4 * r.NormFloat64())
			if j != l {
				top = max(top, x[j])
			}
		}
		switch kind {
		case Random:
		case Trained:
			if c > 1 {
				x[l] = top + F(2+12*r.Float64())
			}
		default:
			panic("bench: unknown softmax targets " + string(kind))
		}
	}
	return rows
}

// SoftmaxName is a softmax benchmark's sub-name.
func SoftmaxName(kernel string, n, c int, gamma float64, kind SoftmaxTargets, typ string) string {
	return fmt.Sprintf("kernel=%s/n=%d/c=%d/gamma=%g/targets=%s/type=%s", kernel, n, c, gamma, kind, typ)
}

// SoftmaxSum benchmarks ks' SoftmaxSum over the softmax matrix (rows, class
// counts, γ and kinds; FOCAL_BENCH_N picks the row counts, FOCAL_BENCH_C
// the class counts), stable first at each point. B/s counts the logits and
// the labels read.
func SoftmaxSum[F focal.Float](b *testing.B, ks ...focal.SoftmaxKernel[F]) {
	softmaxMatrix(b, false, ks, func(b *testing.B, k focal.SoftmaxKernel[F], d *softmaxData[F], p focal.Params) {
		var s float64
		for b.Loop() {
			v, _ := k.SoftmaxSum(d.r, p)
			s += v
		}
		runtime.KeepAlive(s)
	})
}

// SoftmaxLoss benchmarks ks' SoftmaxLoss as SoftmaxSum does (B/s adds the
// loss written).
func SoftmaxLoss[F focal.Float](b *testing.B, ks ...focal.SoftmaxKernel[F]) {
	softmaxMatrix(b, false, ks, func(b *testing.B, k focal.SoftmaxKernel[F], d *softmaxData[F], p focal.Params) {
		for b.Loop() {
			k.SoftmaxLoss(d.loss, d.r, p)
		}
		keep(d.loss)
	})
}

// SoftmaxLossGrad benchmarks ks' SoftmaxLossGrad, with a loss output, as
// SoftmaxSum does (B/s adds the loss and the gradient written).
func SoftmaxLossGrad[F focal.Float](b *testing.B, ks ...focal.SoftmaxKernel[F]) {
	softmaxMatrix(b, true, ks, func(b *testing.B, k focal.SoftmaxKernel[F], d *softmaxData[F], p focal.Params) {
		for b.Loop() {
			k.SoftmaxLossGrad(d.loss, d.grad, d.r, p)
		}
		keep(d.loss)
		keep(d.grad)
	})
}

type softmaxData[F focal.Float] struct {
	r          focal.Rows[F]
	loss, grad []F
}

func softmaxMatrix[F focal.Float](b *testing.B, grad bool, ks []focal.SoftmaxKernel[F], body func(*testing.B, focal.SoftmaxKernel[F], *softmaxData[F], focal.Params)) {
	ns, err := envList("FOCAL_BENCH_N", SoftmaxRows, ParseSize)
	if err != nil {
		b.Fatal(err)
	}
	cs, err := envList("FOCAL_BENCH_C", SoftmaxCs, ParseSize)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range ns {
		for _, c := range cs {
			for _, kind := range AllSoftmaxTargets {
				var d *softmaxData[F]
				for _, g := range Gammas {
					p := focal.Params{Alpha: Alpha, Gamma: g}
					for _, k := range softmaxBaseFirst(ks) {
						if s, ok := focal.SpecOf(k.Name()); ok && s.Scalar && c >= 1000 && os.Getenv("FOCAL_BENCH_FULL") != "1" {
							continue
						}
						b.Run(SoftmaxName(k.Name(), n, c, g, kind, TypeName[F]()), func(b *testing.B) {
							if d == nil {
								d = &softmaxData[F]{r: SoftmaxData[F](n, c, kind), loss: make([]F, n), grad: make([]F, n*c)}
								clear(d.grad)
							}
							size := int(unsafe.Sizeof(F(0)))
							bytes := n*c*size + 4*n // logits and labels
							if grad {
								bytes += n*c*size + n*size
							}
							b.SetBytes(int64(bytes))
							b.ReportAllocs()
							b.ResetTimer()
							body(b, k, d, p)
							b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*c), "ns/elem")
						})
					}
				}
			}
		}
	}
}

// softmaxBaseFirst returns ks with stable first, the rest in order.
func softmaxBaseFirst[F focal.Float](ks []focal.SoftmaxKernel[F]) []focal.SoftmaxKernel[F] {
	out := make([]focal.SoftmaxKernel[F], 0, len(ks))
	for _, k := range ks {
		if k.Name() == base {
			out = append(out, k)
		}
	}
	for _, k := range ks {
		if k.Name() != base {
			out = append(out, k)
		}
	}
	return out
}

// SoftmaxKernels returns the kernels of ks that implement the softmax form.
func SoftmaxKernels[F focal.Float](ks []focal.Kernel[F]) []focal.SoftmaxKernel[F] {
	var out []focal.SoftmaxKernel[F]
	for _, k := range ks {
		if s, ok := k.(focal.SoftmaxKernel[F]); ok {
			out = append(out, s)
		}
	}
	return out
}

// The checked softmax functions, on the checked kernel.

func (checked[F]) SoftmaxLoss(dst []F, r focal.Rows[F], p focal.Params) {
	must(focal.SoftmaxLoss(dst, r, p))
}

func (checked[F]) SoftmaxSum(r focal.Rows[F], p focal.Params) (float64, int) {
	return must2(focal.SoftmaxSum(r, p))
}

func (checked[F]) SoftmaxLossGrad(loss, grad []F, r focal.Rows[F], p focal.Params) {
	must(focal.SoftmaxLossGrad(loss, grad, r, p))
}
