package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/focalkernels/focal/internal/choose"
)

// runChoose reads go test -bench output and prints the fastest kernel per
// benchmark and size; the work is in internal/choose.
func runChoose(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("choose", flag.ContinueOnError)
	unit := fs.String("unit", "sec/op", "the measurement to compare, lower is better: ns/op (or sec/op), ns/elem, B/op, …")
	kernelKey := fs.String("kernel-key", "kernel", "the sub-benchmark key that names the kernel")
	sizeKey := fs.String("size-key", "n", "the sub-benchmark key that names the size")
	alpha := fs.Float64("alpha", 0.05, "significance level of the Mann-Whitney U test against the runner-up")
	conf := fs.Float64("confidence", 0.95, "confidence level of the interval around each median")
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprint(stdout, `usage: focal choose [flags] FILE…

Reads go test -bench output (this module's bench package, or your own
benchmarks named …/kernel=NAME/n=SIZE/…; "-" is standard input) and prints,
for every benchmark and size, the fastest kernel: its median and confidence
interval, the runner-up, and whether the difference is significant (Mann-Whitney
U test, as benchstat does it). Run the benchmarks with -count 10 or more: with
fewer than 4 samples per kernel no difference can be significant at 0.05.

  go test -run '^$' -bench Sum -count 10 ./bench > bench.txt
  focal choose bench.txt

flags:
`)
		fs.PrintDefaults()
	}
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("choose: no input files")
	}
	var files []choose.File
	for _, name := range fs.Args() {
		if name == "-" {
			files = append(files, choose.File{Name: "stdin", R: os.Stdin})
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		files = append(files, choose.File{Name: name, R: f})
	}
	rep, err := choose.Read(files, choose.Options{Unit: *unit, KernelKey: *kernelKey, SizeKey: *sizeKey, Alpha: *alpha, Confidence: *conf})
	if err != nil {
		return err
	}
	if len(rep.Groups) == 0 {
		return fmt.Errorf("choose: no benchmark results with a %s= key and %s", *kernelKey, *unit)
	}
	return rep.Write(stdout)
}
