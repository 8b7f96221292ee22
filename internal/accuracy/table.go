package accuracy

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

// WriteTable prints one line per summary: loss ULP (max, p99, rows over 4) and
// scaled gradient error (max, p99, rows over 8), and the count of NaN or ±Inf
// outputs where the truth is finite.
func WriteTable(w io.Writer, title string, sums []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t\tloss ULP\t\t\t\tgrad err/(scale·eps)\t\t\t\n", title)
	fmt.Fprintf(tw, "kernel\trows\tmax\tp99\t>4\trows\tmax\tp99\t>8\tNaN/Inf\t\n")
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%s\t%s\t%d\t%d\t\n", s.Name,
			s.LossRows, fmtULP(float64(s.LossMax)), fmtULP(s.LossP99), s.LossOver4,
			s.GradRows, fmtULP(s.GradMax), fmtULP(s.GradP99), s.GradOver8, s.NonFinite)
	}
	return tw.Flush()
}

func fmtULP(v float64) string {
	switch {
	case math.IsInf(v, 0) || v >= 1e15:
		return "huge"
	case v >= 1e6:
		return fmt.Sprintf("%.1e", v)
	case v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
