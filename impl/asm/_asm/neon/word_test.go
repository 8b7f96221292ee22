package neon

import (
	"encoding/binary"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// decode returns the GNU-syntax disassembly of an instruction word.
func decode(t *testing.T, w uint32) string {
	t.Helper()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], w)
	in, err := arm64asm.Decode(b[:])
	if err != nil {
		t.Fatalf("%#08x: %v", w, err)
	}
	return arm64asm.GNUSyntax(in)
}

var wordLine = regexp.MustCompile(`^\s*WORD\s+\$0x([0-9a-f]{8})\s*//\s*(.+?)\s*$`)

// TestWords decodes every WORD of the generated arm64 assembly with
// golang.org/x/arch/arm64/arm64asm and checks it against the disassembly in
// its comment; a WORD line without one fails.
func TestWords(t *testing.T) {
	src, err := os.ReadFile("../../focal_arm64.s")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	n := 0
	for i, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "WORD") {
			continue
		}
		m := wordLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("focal_arm64.s:%d: a WORD without its disassembly: %s", i+1, line)
			continue
		}
		w, _ := strconv.ParseUint(m[1], 16, 32)
		n++
		if got := decode(t, uint32(w)); got != m[2] {
			t.Errorf("focal_arm64.s:%d: %s decodes as %q, the comment says %q", i+1, m[1], got, m[2])
		}
		seen[strings.Fields(m[2])[0]] = true
	}
	if n == 0 {
		t.Fatal("no WORD in focal_arm64.s")
	}
	t.Logf("%d WORDs, mnemonics %v", n, seen)
}

// TestEncoder checks every encoder of enc.go, for both shapes, on registers
// that set each field's low and high bits and on every lane, against the
// decoder: those the kernels do not use yet included.
func TestEncoder(t *testing.T) {
	regs := []Reg{0, 1, 17, 30, 31}
	var ws []word
	for _, s := range []shape{s4, d2} {
		for _, d := range regs {
			n, m := 31-d, (d+7)%32
			for op := range threeSame {
				ws = append(ws, fp3(op, s, d, n, m))
			}
			for op := range twoReg {
				ws = append(ws, fp2(op, s, d, n))
			}
			for op := range byElem {
				for i := range s.lanes() {
					ws = append(ws, fpElem(op, s, d, n, m, i))
				}
			}
			for _, sh := range []int{1, 2, 8*s.bytes() - 1, 8 * s.bytes()} {
				ws = append(ws, sshr(s, d, n, sh))
			}
		}
	}
	for _, d := range regs {
		n, m := 31-d, (d+7)%32
		ws = append(ws, bic(d, n, m), umaxv(d, n), uminv(d, n), fcvtl(d, n, false), fcvtl(d, n, true), faddp(d, n))
		ws = append(ws, tbl(d, n, m), mla32(d, n, m), cmeq32(d, n, m), sxtl(d, n), fcvtn(d, n))
	}
	for _, w := range ws {
		if got := decode(t, w.bits); got != w.asm {
			t.Errorf("%#08x decodes as %q, the encoder says %q", w.bits, got, w.asm)
		}
	}
}
