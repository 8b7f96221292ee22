package golden

import (
	"fmt"
	"strings"
	"sync"
)

// ParseCSV parses an embedded table: text's first line that is neither
// blank nor a # comment must be header, and every such line after it is a
// row, which row parses from its 1-based line number and its
// comma-separated fields (its errors say the line).
func ParseCSV[R any](text, header string, row func(line int, fields []string) (R, error)) ([]R, error) {
	var out []R
	seen := false
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !seen {
			if line != header {
				return nil, fmt.Errorf("line %d: header %q, want %q", i+1, line, header)
			}
			seen = true
			continue
		}
		r, err := row(i+1, strings.Split(line, ","))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if !seen {
		return nil, fmt.Errorf("no header line")
	}
	return out, nil
}

// Lazy returns a function that gives the rows parse returns, parsing once,
// on first use; the slice is shared. It panics, the message after prefix,
// if parse fails: the embedded file is malformed, which a test rules out.
func Lazy[R any](prefix string, parse func() ([]R, error)) func() []R {
	load := sync.OnceValues(parse)
	return func() []R {
		rows, err := load()
		if err != nil {
			panic(prefix + err.Error())
		}
		return rows
	}
}
