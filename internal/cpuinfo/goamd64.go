package cpuinfo

import "runtime/debug"

// goamd64 returns the GOAMD64 level the binary was built for, or "" if unknown.
func goamd64() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range bi.Settings {
		if s.Key == "GOAMD64" {
			return s.Value
		}
	}
	return ""
}
