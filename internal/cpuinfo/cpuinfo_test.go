package cpuinfo

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestMachineName(t *testing.T) {
	for _, c := range []struct{ brand, want string }{
		{"AMD EPYC", "amd-epyc"},
		{"AMD EPYC 9R14 96-Core Processor", "amd-epyc-9r14-96-core-processor"},
		{"Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "intel-r-xeon-r-platinum-8375c-cpu-2-90ghz"},
		{"  Apple M2  ", "apple-m2"},
		{"--", "unknown-" + runtime.GOARCH},
		{"", "unknown-" + runtime.GOARCH},
	} {
		if got := MachineName(c.brand); got != c.want {
			t.Errorf("MachineName(%q) = %q, want %q", c.brand, got, c.want)
		}
	}
}

func TestDetect(t *testing.T) {
	i := Detect()
	if i.GOARCH != runtime.GOARCH || i.GoVer == "" {
		t.Errorf("Detect() = %+v", i)
	}
	if m := Machine(); !strings.Contains(m, fmt.Sprintf("-family-%d-model-%d", i.Family, i.Model)) {
		t.Errorf("Machine() = %q: want the family and model in it", m)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int]string{0: "unknown", -1: "unknown", 49152: "48 KiB", 1 << 20: "1 MiB", 100: "100 B"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
