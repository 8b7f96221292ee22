// Command sweep runs internal/sweep: every 2^shift-th finite float32 logit
// through every asm level, against impl/stable. make sweep runs it with
// -shift 0 (every finite float32: tens of minutes on two cores).
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
	shift := flag.Uint("shift", 8, "sweep every 2^shift-th bit pattern (0: all)")
	out := flag.String("o", "", "also write the table to this file")
	flag.Parse()
	if *shift > 31 {
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
	fmt.Fprintf(w, "# go run ./internal/sweep/cmd/sweep -shift %d; %s/%s, GOMAXPROCS %d\n", *shift, runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	sweep.All(w, *shift)
	if f != nil {
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "sweep:", err)
			os.Exit(1)
		}
	}
}
