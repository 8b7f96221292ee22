// Command stepmca estimates, with LLVM's llvm-mca, the cycles of the hard
// step and of the uniform (label-smoothed) step of impl/asm's AVX-512 flat
// kernels at γ = 2, each a step of three vectors (with -level avx2, of the
// AVX2 ones, steps of two, whose hard step runs to its slow twin and whose
// uniform step is its body through the next step's loads and test): the throughput of the
// loop's instructions alone (llvm-mca's Block RThroughput, the port bound)
// and the cycles of its simulation of 200 steps back to back (where the
// dependency chain of a step, longer than the reorder buffer can overlap,
// enters). The hard step is the main loop from its label to the uniform
// step's; the uniform step is its body through the next step's loads and
// test (uniStick; before it, the main loop's loads and hard test followed
// by the soft step up to its routing); the branches are left out and so
// is float32 Sum's flush of its block (once in ten vectors). Run from the
// module's root:
//
//	go run ./results/intel-r-xeon-r-processor-family-6-model-167/_stepmca [-mcpu icelake-server] [-level avx512]
//	go run ./results/intel-r-xeon-r-processor-family-6-model-167/_stepmca -mcpu znver3 -level avx2
//
// It needs binutils' objdump and llvm-mca on the PATH.
package main

import (
	"debug/elf"
	"debug/gosym"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

const iterations = 200

func main() {
	mcpu := flag.String("mcpu", "icelake-server", "llvm-mca's -mcpu")
	dump := flag.String("dump", "", "also write each step's instructions here, as FUNCTION-hard.s and FUNCTION-uniform.s")
	level := flag.String("level", "avx512", "the kernels' level: avx512 or avx2")
	flag.Parse()
	lv, vecs := "AVX512", 3
	if *level == "avx2" {
		lv, vecs = "AVX2", 2
	}
	dir, err := os.MkdirTemp("", "stepmca")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "asm.test")
	run("go", "test", "-c", "-o", bin, "./impl/asm")
	src, err := os.ReadFile("impl/asm/focal_amd64.s")
	if err != nil {
		log.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	fmt.Printf("# llvm-mca -mcpu=%s, %d steps of %d vectors; cycles a vector\n", *mcpu, iterations, vecs)
	fmt.Printf("%-20s %12s %12s %12s %12s %8s %8s\n", "function", "hard bound", "hard sim", "soft bound", "soft sim", "bound", "sim")
	for _, name := range []string{"sum", "loss", "lossGrad", "sum64", "loss64", "lossGrad64"} {
		fn := name + lv + "M2"
		addr := addresses(bin, fn)
		at := func(label string) int { return labelLine(lines, fn+"_"+label) }
		loop, soft := at("loopU"), at("loopU_soft")
		// the main loop's jump to the soft step ends its head
		head := loop
		for l := loop; l < soft; l++ {
			if f := strings.Fields(lines[l-1]); len(f) == 2 && strings.HasPrefix(f[0], "J") && f[1] == fn+"_loopU_soft" {
				head = l
				break
			}
		}
		if lv == "AVX2" {
			hard := ranges(lines, fn, loop+1, at("loopU_slow"), addr)
			uni := ranges(lines, fn, at("loopU_soft2_body")+1, at("loopU_soft2_lanes"), addr)
			hb, hs := mca(bin, hard, *mcpu, dir, *dump, fn+"-hard.s")
			sb, ss := mca(bin, uni, *mcpu, dir, *dump, fn+"-uniform.s")
			fmt.Printf("%-20s %12.1f %12.1f %12.1f %12.1f %8.2f %8.2f\n", fn, hb/2, hs/2, sb/2, ss/2, sb/hb, ss/hs)
			continue
		}
		route := at("loopU_route_miss")
		hard := ranges(lines, fn, loop+1, soft, addr)
		uni := append(ranges(lines, fn, loop+1, head+1, addr), ranges(lines, fn, soft+1, route, addr)...)
		if body := optLabelLine(lines, fn+"_loopU_soft3_body"); body > 0 {
			// since uniStick: the body, then the next step's loads and test
			uni = ranges(lines, fn, body+1, route, addr)
		}
		hb, hs := mca(bin, hard, *mcpu, dir, *dump, fn+"-hard.s")
		sb, ss := mca(bin, uni, *mcpu, dir, *dump, fn+"-uniform.s")
		fmt.Printf("%-20s %12.1f %12.1f %12.1f %12.1f %8.2f %8.2f\n", fn, hb/3, hs/3, sb/3, ss/3, sb/hb, ss/hs)
	}
}

func run(name string, args ...string) []byte {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out
}

// addresses returns the address of the first instruction of a line of
// focal_amd64.s in fn, from the binary's line table.
func addresses(bin, fn string) func(line int) (uint64, bool) {
	f, err := elf.Open(bin)
	if err != nil {
		log.Fatal(err)
	}
	pcln, err := f.Section(".gopclntab").Data()
	if err != nil {
		log.Fatal(err)
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(pcln, f.Section(".text").Addr))
	if err != nil {
		log.Fatal(err)
	}
	sym := tab.LookupFunc("github.com/focalkernels/focal/impl/asm." + fn)
	if sym == nil {
		log.Fatalf("no function %s", fn)
	}
	first := map[int]uint64{} // the line's first byte: its first instruction's
	for pc := sym.Entry; pc < sym.End; pc++ {
		file, line, _ := tab.PCToLine(pc)
		if _, ok := first[line]; !ok && strings.HasSuffix(file, "focal_amd64.s") {
			first[line] = pc
		}
	}
	return func(line int) (uint64, bool) {
		pc, ok := first[line]
		return pc, ok
	}
}

func labelLine(lines []string, label string) int {
	if l := optLabelLine(lines, label); l > 0 {
		return l
	}
	log.Fatalf("no label %s", label)
	return 0
}

// optLabelLine returns the line of label, 0 if there is none.
func optLabelLine(lines []string, label string) int {
	for i, l := range lines {
		if l == label+":" {
			return i + 1
		}
	}
	return 0
}

// ranges returns the address ranges of lines [from, to) of fn, less the
// lines from a jump to a _noflush label to the label (Sum's block flush).
func ranges(lines []string, fn string, from, to int, addr func(int) (uint64, bool)) [][2]uint64 {
	var rs [][2]uint64
	start := from
	next := func(l int) uint64 { // the first address at or after line l
		for ; ; l++ {
			if a, ok := addr(l); ok {
				return a
			}
		}
	}
	for l := from; l < to; l++ {
		f := strings.Fields(lines[l-1])
		if len(f) == 2 && strings.HasPrefix(f[0], "J") && strings.HasSuffix(f[1], "_noflush") {
			rs = append(rs, [2]uint64{next(start), next(l + 1)})
			start = labelLine(lines, f[1]) + 1
			l = start - 1
		}
	}
	return append(rs, [2]uint64{next(start), next(to)})
}

var bcst = regexp.MustCompile(`(DWORD|QWORD) BCST (\[[^\]]*\])`)

// mca returns llvm-mca's block throughput and simulated cycles a step of
// the instructions in rs, branches left out.
func mca(bin string, rs [][2]uint64, mcpu, dir, dump, name string) (bound, sim float64) {
	var b strings.Builder
	b.WriteString(".intel_syntax noprefix\n")
	for _, r := range rs {
		out := run("objdump", "-d", "-M", "intel", "--no-show-raw-insn",
			fmt.Sprintf("--start-address=0x%x", r[0]), fmt.Sprintf("--stop-address=0x%x", r[1]), bin)
		for _, line := range strings.Split(string(out), "\n") {
			_, ins, ok := strings.Cut(line, ":\t")
			if !ok || !strings.HasPrefix(line, " ") {
				continue
			}
			ins, _, _ = strings.Cut(ins, "#")
			ins = strings.TrimSpace(ins)
			if ins == "" || ins[0] == 'j' || strings.HasPrefix(ins, "nop") {
				continue
			}
			if m := bcst.FindStringSubmatch(ins); m != nil {
				width, elem := 256, 32
				if strings.Contains(ins, "zmm") {
					width = 512
				}
				if m[1] == "QWORD" {
					elem = 64
				}
				ins = strings.Replace(ins, m[0], fmt.Sprintf("%s PTR %s{1to%d}", m[1], m[2], width/elem), 1)
			}
			b.WriteString(ins + "\n")
		}
	}
	f := filepath.Join(dir, "step.s")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	if dump != "" {
		if err := os.WriteFile(filepath.Join(dump, name), []byte(b.String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	out := string(run("llvm-mca", "-mcpu="+mcpu, fmt.Sprintf("-iterations=%d", iterations), f))
	num := func(key string) float64 {
		i := strings.Index(out, key)
		if i < 0 {
			log.Fatalf("llvm-mca printed no %q", key)
		}
		v, _ := strconv.ParseFloat(strings.Fields(out[i+len(key):])[0], 64)
		return v
	}
	return num("Block RThroughput:"), num("Total Cycles:") / iterations
}
