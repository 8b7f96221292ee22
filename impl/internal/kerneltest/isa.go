package kerneltest

import (
	"bufio"
	"bytes"
	"debug/elf"
	"debug/gosym"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// NoEVEX checks that the AVX2 level's code of package pkg (every function
// whose name has AVX2 and not AVX512, and the simd/archsimd functions they
// call) holds no EVEX instruction: none that a CPU without AVX-512 lacks,
// which a run on such a CPU would find only on the paths it takes. It
// disassembles the running test binary with GNU objdump (skipped where there
// is none) and names the functions from the binary's Go line table (go test
// strips the ELF symbols). Where no EVEX instruction is found in pkg's
// AVX512 functions either, the check is blind, and fails.
func NoEVEX(t *testing.T, pkg string) {
	od, err := exec.LookPath("objdump")
	if err != nil {
		t.Skip("no objdump")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tab := goTable(t, exe)
	out, err := exec.Command(od, "-d", "-w", "-j", ".text", exe).Output()
	if err != nil {
		t.Fatalf("objdump: %v", err)
	}
	insn := regexp.MustCompile(`^\s*([0-9a-f]+):\t`)
	call := regexp.MustCompile(`\tcall\s+(?:0x)?([0-9a-f]+)`)
	lines := map[string][]string{} // function: its instruction lines
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		m := insn.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		pc, _ := strconv.ParseUint(m[1], 16, 64)
		if f := tab.PCToFunc(pc); f != nil {
			lines[f.Name] = append(lines[f.Name], sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	prefix := pkg + "."
	var todo []string
	found := 0 // EVEX instructions in the AVX-512 functions
	for name, ls := range lines {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		switch {
		case strings.Contains(name, "AVX512"):
			for _, line := range ls {
				if evex(line) {
					found++
				}
			}
		case strings.Contains(name, "AVX2"):
			todo = append(todo, name)
		}
	}
	if len(todo) < 12 {
		t.Fatalf("found %d AVX2 functions of %s in the disassembly, want the kernels at least", len(todo), pkg)
	}
	seen := map[string]bool{}
	n := 0
	for len(todo) > 0 {
		name := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[name] {
			continue
		}
		seen[name] = true
		for _, line := range lines[name] {
			n++
			if evex(line) {
				t.Errorf("%s: EVEX instruction: %s", name, strings.TrimSpace(line))
			}
			if m := call.FindStringSubmatch(line); m != nil {
				pc, _ := strconv.ParseUint(m[1], 16, 64)
				if f := tab.PCToFunc(pc); f != nil && strings.HasPrefix(f.Name, "simd/archsimd.") {
					todo = append(todo, f.Name)
				}
			}
		}
	}
	t.Logf("%d functions, %d instructions checked", len(seen), n)
	if found == 0 {
		t.Errorf("no EVEX instruction found in %s's AVX-512 functions either: the check is blind", pkg)
	}
}

// goTable reads the Go line table of the executable at path.
func goTable(t *testing.T, path string) *gosym.Table {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sec, text := f.Section(".gopclntab"), f.Section(".text")
	if sec == nil || text == nil {
		t.Skip("no .gopclntab or .text section")
	}
	data, err := sec.Data()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

var avx512Reg = regexp.MustCompile(`%zmm|%k[0-7]|%[xy]mm(1[6-9]|2[0-9]|3[01])\b`)

// evex reports whether an objdump line (address, bytes, instruction) is an
// EVEX-encoded instruction: its first opcode byte, after any legacy prefix,
// is 0x62 (BOUND, its 32-bit meaning, does not exist in 64-bit mode), or it
// names a register only AVX-512 has.
func evex(line string) bool {
	f := strings.SplitN(line, "\t", 3)
	if len(f) < 3 {
		return false
	}
	for _, b := range strings.Fields(f[1]) {
		switch b {
		case "26", "2e", "36", "3e", "64", "65", "66", "67", "f2", "f3":
			continue
		}
		if b == "62" {
			return true
		}
		break
	}
	return avx512Reg.MatchString(f[2])
}
