package sweep

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// coarser is how many bits coarser the strides are under -short (emulated
// architectures and the race detector): half the logits, the same bounds.
func coarser() uint {
	if testing.Short() {
		return 1
	}
	return 0
}

// TestStrided is the cheap sweep that go test runs: every 2^16-th bit pattern
// (65280 finite logits) per level, target and γ (every 2^17-th under -short). make sweep runs all of them.
// The bounds are what the kernels keep against stable's float32 values (which
// are within 1 ULP of the truth themselves): see results/<machine>/sweep*.txt.
func TestStrided(t *testing.T) {
	var b strings.Builder
	for _, r := range All(&b, 16+coarser()) {
		if r.NaNs != 0 {
			t.Errorf("asm-%v t=%v γ=%v: %d non-finite results where stable's are finite", r.Level, r.T, r.Gamma, r.NaNs)
		}
		if r.LossNorm.ULP > 8 || r.GradNorm.ULP > 10 {
			t.Errorf("asm-%v t=%v γ=%v: loss %d ULP (x=%v), gradient %d ULP (x=%v) from stable",
				r.Level, r.T, r.Gamma, r.LossNorm.ULP, r.LossNorm.X, r.GradNorm.ULP, r.GradNorm.X)
		}
	}
	if testing.Verbose() {
		os.Stdout.WriteString(b.String())
	}
}

// TestStridedSoft is the soft-target sweep at every 2^22-th bit pattern
// (1020 finite logits; 2^23 under -short) per level, target, α and γ: no non-finite result
// where stable's is finite, the loss within 5 ULP of stable's (4 of the
// truth and stable's 1) and the gradient within 8 units of its scale.
func TestStridedSoft(t *testing.T) {
	var b strings.Builder
	for _, r := range AllSoft(&b, 22+coarser()) {
		if r.NaNs != 0 {
			t.Errorf("asm-%v t=%v α=%v γ=%v: %d non-finite results where stable's are finite", r.Level, r.T, r.Alpha, r.Gamma, r.NaNs)
		}
		if r.LossNorm.ULP > 5 || r.Grad.Err > 8 {
			t.Errorf("asm-%v t=%v α=%v γ=%v: loss %d ULP (x=%v), gradient %.3g units (x=%v, t=%v) from stable",
				r.Level, r.T, r.Alpha, r.Gamma, r.LossNorm.ULP, r.LossNorm.X, r.Grad.Err, r.Grad.X, r.Grad.T)
		}
	}
	if testing.Verbose() {
		os.Stdout.WriteString(b.String())
	}
}

// TestStrided64 is the float64 sweep at every 2^46-th bit pattern (130,944
// logits, 64 per binade, with either sign; 2^48 under -short, 16 per binade, since
// under qemu it took three minutes) per level, target and γ, with the
// math/big truth on every 512th: no non-finite result where stable's is finite, within the bars
// of the truth (loss 4 ULP, gradient 8 units) and within both kernels' bars
// of stable's (8 and 16). make sweep64 runs a denser one.
func TestStrided64(t *testing.T) {
	var b strings.Builder
	for _, r := range All64(&b, 46+2*coarser(), 9) {
		what := fmt.Sprintf("asm-%v t=%v γ=%v", r.Level, r.T, r.Gamma)
		if r.NaNs != 0 {
			t.Errorf("%s: %d non-finite results where stable's are finite", what, r.NaNs)
		}
		if r.LossRef.Err > 4 || r.GradRef.Err > 8 {
			t.Errorf("%s: loss %v ULP (x=%v t=%v), gradient %.3g units (x=%v t=%v) from the truth",
				what, r.LossRef.Err, r.LossRef.X, r.LossRef.T, r.GradRef.Err, r.GradRef.X, r.GradRef.T)
		}
		if r.Loss.Err > 8 || r.Grad.Err > 16 {
			t.Errorf("%s: loss %v ULP (x=%v t=%v), gradient %.3g units (x=%v t=%v) from stable",
				what, r.Loss.Err, r.Loss.X, r.Loss.T, r.Grad.Err, r.Grad.X, r.Grad.T)
		}
	}
	if testing.Verbose() {
		os.Stdout.WriteString(b.String())
	}
}
