package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/golden"
)

// style gives every kernel one color and glyph in every panel.
type style struct{ names []string }

func (s *style) of(name string) (color.Color, draw.GlyphDrawer, []vg.Length) {
	i := slices.Index(s.names, name)
	if i < 0 {
		s.names = append(s.names, name)
		i = len(s.names) - 1
	}
	dash := []vg.Length(nil)
	if name == "torchvision" {
		return color.RGBA{R: 0xcc, G: 0x33, B: 0x00, A: 0xff}, draw.CrossGlyph{}, []vg.Length{vg.Points(4), vg.Points(2)}
	}
	if strings.HasPrefix(name, "c-") { // the C peers: dashed, as peers
		dash = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	return plotutil.Color(i), plotutil.Shape(i), dash
}

// savePanels draws plots in a grid of rows×cols panels into a PNG file.
func savePanels(path string, panels [][]*plot.Plot, w, h vg.Length) error {
	img := vgimg.New(w, h)
	dc := draw.New(img)
	t := draw.Tiles{Rows: len(panels), Cols: len(panels[0]), PadTop: vg.Points(6), PadBottom: vg.Points(6),
		PadLeft: vg.Points(6), PadRight: vg.Points(10), PadX: vg.Points(18), PadY: vg.Points(18)}
	cs := plot.Align(panels, t, dc)
	for j := range panels {
		for i, p := range panels[j] {
			if p != nil {
				p.Draw(cs[j][i])
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// plotSpeed draws ns/element against N, log-log, one line per kernel: one
// panel per operation and target kind (rows) and element type (columns).
func plotSpeed(path string, times []timing, ops []string, kinds []bench.Targets, types []string, kernels map[string][]string, title string) error {
	st := &style{}
	// One y range for every panel, so that panels compare by eye; room at the
	// top for the legend and a labeled tick below the fastest point.
	lo, hi, most := math.Inf(1), 0.0, 0
	for _, t := range times {
		if t.NsPerElem > 0 {
			lo, hi = min(lo, t.NsPerElem), max(hi, t.NsPerElem)
		}
	}
	for _, ks := range kernels {
		most = max(most, len(ks))
	}
	var panels [][]*plot.Plot
	for _, op := range ops {
		for _, kind := range kinds {
			row, err := speedRow(times, op, kind, types, kernels, st, lo, hi, most)
			if err != nil {
				return err
			}
			panels = append(panels, row)
		}
	}
	if len(panels) > 0 && len(panels[0]) > 0 {
		panels[0][0].Title.Text = title + "\n" + panels[0][0].Title.Text
	}
	return savePanels(path, panels, vg.Length(len(types))*5*vg.Inch, vg.Length(len(panels))*3.8*vg.Inch)
}

// speedRow draws one row of plotSpeed: op on kind, one panel per type.
func speedRow(times []timing, op string, kind bench.Targets, types []string, kernels map[string][]string, st *style, lo, hi float64, most int) ([]*plot.Plot, error) {
	var row []*plot.Plot
	for _, typ := range types {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s, %s targets, %s", op, kind, typ)
		p.X.Label.Text = "N (elements)"
		p.Y.Label.Text = "ns per element"
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.X.Tick.Marker = pow2Ticks{}
		p.Y.Tick.Marker = logTicks125{}
		p.Add(plotter.NewGrid())
		p.Legend.Top = true
		for _, k := range kernels[typ] {
			var xy plotter.XYs
			for _, t := range times {
				if t.Type == typ && t.Op == op && t.Targets == kind && t.Kernel == k && t.NsPerElem > 0 {
					xy = append(xy, plotter.XY{X: float64(t.N), Y: t.NsPerElem})
				}
			}
			if len(xy) == 0 {
				continue
			}
			l, s, err := plotter.NewLinePoints(xy)
			if err != nil {
				return nil, err
			}
			c, g, dash := st.of(k)
			l.Color, l.Dashes, s.Color, s.Shape = c, dash, c, g
			l.Width = vg.Points(1.5)
			p.Add(l, s)
			p.Legend.Add(k, l, s)
		}
		if hi > 0 {
			p.Y.Min, p.Y.Max = lo/2, hi*math.Pow(2, float64(most)/2)
		}
		row = append(row, p)
	}
	return row, nil
}

// logTicks125 labels 1, 2 and 5 times the powers of ten, so that a range
// within one decade still has labels.
type logTicks125 struct{}

func (logTicks125) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
		for m := 1; m < 10; m++ {
			v := float64(m) * math.Pow(10, e)
			if v < lo/1.0001 || v > hi*1.0001 {
				continue
			}
			label := ""
			if m == 1 || m == 2 || m == 5 || hi/lo < 10 {
				label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ts = append(ts, plot.Tick{Value: v, Label: label})
		}
	}
	return ts
}

// pow2Ticks labels powers of two with Ki/Mi suffixes.
type pow2Ticks struct{}

func (pow2Ticks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log2(lo)); math.Pow(2, e) <= hi*1.0001; e++ {
		v := math.Pow(2, e)
		label := ""
		if int(e)%2 == 0 {
			label = sizeLabel(int(v))
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}

func sizeLabel(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMi", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKi", n>>10)
	}
	return fmt.Sprint(n)
}

// Error levels on the accuracy plot's y axis: errors beyond clipULP are drawn
// at clipULP, outputs that are NaN or ±Inf where the truth is finite at nanULP.
const (
	clipULP = 1e10
	nanULP  = 1e13
)

// plotAccuracy draws the loss error in ULP against x, one line per kernel (and
// torchvision as a peer): the largest error over the golden rows in each bin
// of x. One panel per element type.
func plotAccuracy(path string, outs map[string][]accuracy.Outputs, types []string) error {
	st := &style{}
	rows := golden.Rows()
	var row []*plot.Plot
	for _, typ := range types {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("loss error against the truth, %s (max over the golden rows per bin of x)", typ)
		p.X.Label.Text = "logit x"
		p.Y.Label.Text = "error (ULP of " + typ + ")"
		p.X.Scale, p.Y.Scale = symlog{}, ulpScale{}
		p.X.Tick.Marker = symlogXTicks{}
		p.Y.Tick.Marker = ulpTicks{}
		p.Add(plotter.NewGrid())
		// Top right, below the NaN/Inf line: the logits past 1e3 have few rows.
		p.Legend.Top, p.Legend.YOffs = true, -vg.Inch*7/8
		for _, o := range outs[typ] {
			errs := accuracy.Errors(o)
			bins := map[int]float64{}
			for _, e := range errs {
				r := rows[e.Row]
				var v float64
				switch {
				case e.NonFinite:
					v = nanULP
				case !e.LossNormal:
					continue
				default:
					v = math.Min(float64(e.LossULP), clipULP)
				}
				b := int(math.Round(symlogF(r.X) * 4)) // bins a quarter decade wide
				if cur, ok := bins[b]; !ok || v > cur {
					bins[b] = v
				}
			}
			var keys []int
			for b := range bins {
				keys = append(keys, b)
			}
			slices.Sort(keys)
			// One line per run of neighbouring bins: no line across x where
			// the golden file has no rows.
			c, g, dash := st.of(o.Name)
			var runs []plotter.XYs
			for i, b := range keys {
				if i == 0 || b-keys[i-1] > 2 {
					runs = append(runs, nil)
				}
				runs[len(runs)-1] = append(runs[len(runs)-1], plotter.XY{X: symlogInv(float64(b) / 4), Y: bins[b]})
			}
			for i, xy := range runs {
				l, s, err := plotter.NewLinePoints(xy)
				if err != nil {
					return err
				}
				l.Color, l.Dashes, s.Color, s.Shape = c, dash, c, g
				l.Width = vg.Points(1.2)
				s.Radius = vg.Points(2)
				p.Add(l, s)
				if i == 0 {
					p.Legend.Add(o.Name, l, s)
				}
			}
		}
		p.Y.Min, p.Y.Max = 0, nanULP*3
		row = append(row, p)
	}
	return savePanels(path, [][]*plot.Plot{row}, vg.Length(len(types))*6*vg.Inch, 4.2*vg.Inch)
}

// symlog is sign(v)·L(log10(1+|v|)): logarithmic for large |v|, linear near
// 0, defined for every value, so one axis can show 0 and ±3e38. Past 10^4
// (L = 4) the decades are squeezed 8 to one, so that the 34 decades to ±3e38
// do not crowd out the logits where the kernels differ.
type symlog struct{}

const (
	symlogKnee    = 4.0
	symlogSqueeze = 8.0
)

func symlogF(v float64) float64 {
	l := math.Log10(1 + math.Abs(v))
	if l > symlogKnee {
		l = symlogKnee + (l-symlogKnee)/symlogSqueeze
	}
	return math.Copysign(l, v)
}

func symlogInv(f float64) float64 {
	l := math.Abs(f)
	if l > symlogKnee {
		l = symlogKnee + (l-symlogKnee)*symlogSqueeze
	}
	return math.Copysign(math.Pow(10, l)-1, f)
}

func (symlog) Normalize(lo, hi, v float64) float64 {
	a, b := symlogF(lo), symlogF(hi)
	return (symlogF(v) - a) / (b - a)
}

// symlogXTicks marks 0 and ±10^k.
type symlogXTicks struct{}

func (symlogXTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := []plot.Tick{{Value: 0, Label: "0"}}
	for _, e := range []int{1, 2, 3, 4, 20, 38} {
		v := math.Pow10(e)
		label := fmt.Sprintf("1e%d", e)
		if e <= 2 {
			label = fmt.Sprint(v)
		}
		if v <= hi {
			ts = append(ts, plot.Tick{Value: v, Label: label})
		}
		if -v >= lo {
			ts = append(ts, plot.Tick{Value: -v, Label: "-" + label})
		}
	}
	return ts
}

// ulpScale is log10(1+v): 0 stays on the axis, every decade above 1 has the same room.
type ulpScale struct{}

func (ulpScale) Normalize(lo, hi, v float64) float64 {
	f := func(v float64) float64 { return math.Log10(1 + math.Max(v, 0)) }
	return (f(v) - f(lo)) / (f(hi) - f(lo))
}

// ulpTicks marks 0, 1, 4, powers of ten, the clip level and NaN/Inf.
type ulpTicks struct{}

func (ulpTicks) Ticks(lo, hi float64) []plot.Tick {
	return []plot.Tick{{Value: 0, Label: "0"}, {Value: 1}, {Value: 4, Label: "4"},
		{Value: 100, Label: "100"}, {Value: 1e4, Label: "1e4"}, {Value: 1e6, Label: "1e6"},
		{Value: 1e8, Label: "1e8"}, {Value: clipULP, Label: "≥1e10"}, {Value: nanULP, Label: "NaN/Inf"}}
}
