// Command sweep runs internal/sweep: every 2^shift-th finite float32 logit
// through every asm level, against impl/stable, for hard targets, then every
// 2^softshift-th for the soft targets (whose reference is dearer: stable's
// double-double). make sweep runs it with -shift 0 -softshift 10 (about an
// hour on two cores), make sweep-strided with -shift 6 -softshift 12. With
// -f64 it runs the float64 sweep instead: every 2^shift-th finite float64
// bit pattern of either sign, against stable and, every 2^refshift-th, the
// math/big truth (make sweep64: -shift 40 -refshift 12).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/focalkernels/focal/internal/sweep"
)

func main() {
	shift := flag.Uint("shift", 8, "sweep every 2^shift-th bit pattern (0: all), hard targets")
	softShift := flag.Uint("softshift", 12, "sweep every 2^softshift-th bit pattern, soft targets (more than 31: none)")
	out := flag.String("o", "", "also write the table to this file")
	f64 := flag.Bool("f64", false, "the float64 sweep (-shift, -refshift) instead of float32's")
	refShift := flag.Uint("refshift", 12, "float64: the math/big truth on every 2^refshift-th logit swept")
	flag.Parse()
	if *f64 && (*shift > 62 || *refShift > 62) || !*f64 && *shift > 31 {
		fmt.Fprintln(os.Stderr, "sweep: -shift must be at most 31")
		os.Exit(2)
	}
	var w io.Writer = os.Stdout
	var f *os.File
	if *out != "" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, "sweep:", err)
			os.Exit(1)
		}
		w = io.MultiWriter(os.Stdout, f)
	}
	if *f64 {
		fmt.Fprintf(w, "# go run ./internal/sweep/cmd/sweep -f64 -shift %d -refshift %d; %s/%s, GOMAXPROCS %d\n", *shift, *refShift, runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
		sweep.All64(w, *shift, *refShift)
	} else {
		fmt.Fprintf(w, "# go run ./internal/sweep/cmd/sweep -shift %d -softshift %d; %s/%s, GOMAXPROCS %d\n", *shift, *softShift, runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
		sweep.All(w, *shift)
	}
	if !*f64 && *softShift <= 31 {
		fmt.Fprintln(w)
		sweep.AllSoft(w, *softShift)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "sweep:", err)
			os.Exit(1)
		}
	}
}
