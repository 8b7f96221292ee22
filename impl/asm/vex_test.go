package asm

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestVEXOnly: every instruction of the generated amd64 assembly that names
// a vector register is a VEX or EVEX one (V…, or K… on mask registers). A
// legacy SSE instruction (MOVQ AX, X0; MOVSD X0, ret+8(FP)) writing an XMM
// register while the upper halves are dirty pays a state transition or a
// merge on many x86 cores; the generator's vex.go is why there are none.
func TestVEXOnly(t *testing.T) {
	f, err := os.Open("focal_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vecReg := regexp.MustCompile(`\b[XYZ]([0-9]|[12][0-9]|3[01])\b`)
	sc := bufio.NewScanner(f)
	fn, line, vector := "", 0, 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(s, "TEXT ") {
			fn = s
			continue
		}
		if fn == "" || s == "" || strings.HasPrefix(s, "//") || strings.HasSuffix(s, ":") {
			continue
		}
		mn, ops, _ := strings.Cut(s, " ")
		if !vecReg.MatchString(ops) {
			continue
		}
		vector++
		if !strings.HasPrefix(mn, "V") && !strings.HasPrefix(mn, "K") {
			t.Errorf("focal_amd64.s:%d: %s in %s: a legacy SSE instruction on a vector register", line, s, fn)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if vector < 1000 {
		t.Fatalf("found %d instructions on vector registers, want the kernels' thousands: the check is blind", vector)
	}
}
