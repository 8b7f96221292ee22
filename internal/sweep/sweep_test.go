package sweep

import (
	"os"
	"strings"
	"testing"
)

// TestStrided is the cheap sweep that go test runs: every 2^16-th bit pattern
// (65280 finite logits) per level, target and γ. make sweep runs all of them.
// The bounds are what the kernels keep against stable's float32 values (which
// are within 1 ULP of the truth themselves): see results/<machine>/sweep*.txt.
func TestStrided(t *testing.T) {
	var b strings.Builder
	for _, r := range All(&b, 16) {
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
