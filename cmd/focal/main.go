// Command focal compares, reports on and chooses among this module's focal
// loss kernels.
//
//	focal compare          accuracy on the golden vectors and a quick time per element, every kernel
//	focal report           this CPU, every kernel timed and checked, a recommendation; writes results/<machine>/
//	focal choose FILE…     the fastest kernel per size from go test -bench output, with its significance
//	focal machine          this CPU's folder name under results/
//
// Run "focal help" for the list of subcommands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/focalkernels/focal/internal/cpuinfo"
)

type command struct {
	name, summary string
	run           func(args []string, stdout io.Writer) error
}

var commands = []command{
	{"compare", "accuracy on the golden vectors and a quick time per element, for every kernel", runCompare},
	{"report", "describe this CPU, time and check every kernel, recommend one; writes results/<machine>/", runReport},
	{"choose", "the fastest kernel per size, with confidence intervals, from go test -bench output", runChoose},
	{"machine", "print this CPU's folder name under results/", runMachine},
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "focal:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout)
		}
	}
	usage(os.Stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

// parseFlags parses a command's args into fs. ok is false when the command
// is to stop there: on an error, or on -h, which is no error (fs has
// printed its usage).
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return false, nil
	}
	return err == nil, err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: focal <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun focal <command> -h for a command's flags.")
}

func runMachine(args []string, stdout io.Writer) error {
	if len(args) != 0 {
		return fmt.Errorf("machine takes no arguments")
	}
	_, err := fmt.Fprintln(stdout, cpuinfo.Machine())
	return err
}
