package asm

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestAVX2Registers: the AVX2 functions of the generated assembly use only
// X0-X15/Y0-Y15 and no Z or K register, which a CPU without AVX-512 lacks
// (avo's allocator does not know that; the generator staggers to fit).
func TestAVX2Registers(t *testing.T) {
	src, err := os.ReadFile("focal_amd64.s")
	if err != nil {
		t.Skip(err)
	}
	bad := regexp.MustCompile(`\b([XY](1[6-9]|2[0-9]|3[01])|Z[0-9]+|K[0-7])\b`)
	fn, avx2 := "", false
	for i, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "TEXT ") {
			fn = line
			avx2 = strings.Contains(line, "AVX2")
			continue
		}
		if avx2 && bad.MatchString(line) {
			t.Errorf("focal_amd64.s:%d (%s): %s", i+1, fn, strings.TrimSpace(line))
		}
	}
}
