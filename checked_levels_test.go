package focal_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
)

// TestCheckedBadTargetPlaces: wherever the only bad target is — in the first
// vector, in the tail after the last whole vector, just after a soft target,
// after a -0 — every checked function names it exactly (index and value),
// returns ErrTarget and writes nothing; with two bad targets it names the
// first. Both types, lengths around every vector width.
func TestCheckedBadTargetPlaces(t *testing.T) {
	bothTypes(t, testCheckedBadTargetPlaces[float32], testCheckedBadTargetPlaces[float64])
}

func testCheckedBadTargetPlaces[F focal.Float](t *testing.T) {
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	const sentinel = 777
	for _, n := range []int{1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000} {
		for _, bad := range []float64{math.NaN(), -0.5, 1.5, math.Inf(1), math.Inf(-1), -1e-30} {
			places := map[string]int{"first vector": 0, "tail": n - 1, "after a soft target": n / 2, "middle": n * 2 / 3}
			for where, at := range places {
				x, tg := make([]F, n), make([]F, n)
				for i := range x {
					x[i] = F(float64(i%7) - 3)
					tg[i] = F(i % 2)
				}
				if at > 0 {
					tg[at-1] = 0.3 // a soft target just before
				}
				if at > 1 {
					tg[at-2] = F(math.Copysign(0, -1)) // -0: valid
				}
				tg[at] = F(bad)
				second := -1
				if at+3 < n {
					second = at + 3
					tg[second] = 2 // a later bad target, which must not be the one named
				}
				want := fmt.Sprintf("t[%d] = %v", at, F(bad))
				check := func(fn string, err error, outs ...[]F) {
					t.Helper()
					if !errors.Is(err, focal.ErrTarget) || !strings.Contains(err.Error(), want) {
						t.Fatalf("%s n=%d bad %v in the %s: %v, want ErrTarget naming %q", fn, n, bad, where, err, want)
					}
					for _, o := range outs {
						if slices.ContainsFunc(o, func(v F) bool { return v != sentinel }) {
							t.Fatalf("%s n=%d bad %v in the %s: wrote on error", fn, n, bad, where)
						}
					}
				}
				fill := func() []F {
					s := make([]F, n)
					for i := range s {
						s[i] = sentinel
					}
					return s
				}
				dst := fill()
				check("Loss", focal.Loss(dst, x, tg, p), dst)
				loss, grad := fill(), fill()
				check("LossGrad", focal.LossGrad(loss, grad, x, tg, p), loss, grad)
				check("LossGrad(nil)", focal.LossGrad(nil, grad, x, tg, p), grad)
				_, err := focal.Sum(x, tg, p)
				check("Sum", err)
				_, err = focal.Mean(x, tg, p)
				check("Mean", err)
			}
		}
	}
}

// TestCheckedEveryLevel runs the checked API's error tests again with Best
// at every lower dispatch level (FOCAL_DISABLE, read at start-up, so in a
// child process of this test binary).
func TestCheckedEveryLevel(t *testing.T) {
	if os.Getenv("FOCAL_CHECKED_CHILD") != "" {
		t.Skip("in a child already")
	}
	if runtime.GOARCH != "amd64" {
		t.Skip("only amd64 has dispatch levels to lower")
	}
	for _, disable := range []string{"avx512", "avx2"} {
		cmd := exec.Command(os.Args[0], "-test.run=^(TestCheckedBadTargetPlaces|TestCheckedBadInput|TestCheckedGood)$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "FOCAL_DISABLE="+disable, "FOCAL_CHECKED_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("FOCAL_DISABLE=%s: %v\n%s", disable, err, out)
			continue
		}
		if !strings.Contains(string(out), "--- PASS: TestCheckedBadTargetPlaces") {
			t.Errorf("FOCAL_DISABLE=%s: the child ran no test:\n%s", disable, out)
		}
		t.Logf("FOCAL_DISABLE=%s (Best[float32] lower): passed", disable)
	}
}
