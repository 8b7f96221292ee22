package bench

import "testing"

func BenchmarkSoftmaxSum(b *testing.B) {
	SoftmaxSum(b, SoftmaxKernels(all[float32]())...)
	SoftmaxSum(b, SoftmaxKernels(all[float64]())...)
}

func BenchmarkSoftmaxLoss(b *testing.B) {
	SoftmaxLoss(b, SoftmaxKernels(all[float32]())...)
	SoftmaxLoss(b, SoftmaxKernels(all[float64]())...)
}

func BenchmarkSoftmaxLossGrad(b *testing.B) {
	SoftmaxLossGrad(b, SoftmaxKernels(all[float32]())...)
	SoftmaxLossGrad(b, SoftmaxKernels(all[float64]())...)
}

// TestSoftmaxData: deterministic, labels in range, and trained rows have
// their label at the maximum by at least the margin's minimum.
func TestSoftmaxData(t *testing.T) {
	for _, kind := range AllSoftmaxTargets {
		r := SoftmaxData[float32](100, 7, kind)
		r2 := SoftmaxData[float32](100, 7, kind)
		for i, v := range r.X {
			if v != r2.X[i] {
				t.Fatalf("%s: not deterministic", kind)
			}
		}
		for n, l := range r.Labels {
			if l < 0 || l >= 7 {
				t.Fatalf("%s: label %d", kind, l)
			}
			if kind != Trained {
				continue
			}
			for j, v := range r.X[n*7 : n*7+7] {
				if j != int(l) && !(r.X[n*7+int(l)] >= v+2) {
					t.Fatalf("trained row %d: label %d's logit %v, class %d's %v", n, l, r.X[n*7+int(l)], j, v)
				}
			}
		}
	}
}
