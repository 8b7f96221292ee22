package kit

// The property list, the settings of a run, and a run of one property with
// gopter: generated cases, shrinking, and a message that reruns the failure.

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/focalkernels/focal"
)

// Config is what a run holds a kernel to, and how many cases it draws.
type Config struct {
	Bar       focal.Bar // the kernel's accuracy against the truth
	Seed      int64     // seed of the case generator
	N         int       // cases per property
	WideGamma bool      // also draw γ from 5 to 1e12, in one case of eight
}

// Defaults: deterministic runs (the same cases every time, so a test fails
// only when a kernel changes) of 1000 cases per property.
const (
	DefaultSeed = 1
	DefaultN    = 1000
)

// The environment overrides the configuration a test sets in code, so that
// the command a failure prints reruns it whatever the code says.
const (
	EnvSeed      = "FOCALTEST_SEED"       // a number, or "random" for one from the clock
	EnvN         = "FOCALTEST_N"          // cases per property
	EnvWideGamma = "FOCALTEST_WIDE_GAMMA" // 1: draw wide γ too
)

// FromEnv applies the environment to c, or says what is wrong with it.
func (c *Config) FromEnv() error {
	if s := os.Getenv(EnvSeed); s == "random" {
		c.Seed = time.Now().UnixNano()
	} else if s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%s=%q: want an integer or \"random\"", EnvSeed, s)
		}
		c.Seed = v
	}
	if s := os.Getenv(EnvN); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return fmt.Errorf("%s=%q: want a positive count of cases", EnvN, s)
		}
		c.N = v
	}
	if s := os.Getenv(EnvWideGamma); s != "" && s != "0" {
		c.WideGamma = true
	}
	return nil
}

// Prop is one named statement about a kernel's form K (focal.Kernel,
// RowsKernel or SoftmaxKernel of F), checked on generated cases C, which
// the options O give. Its check returns "" when a case satisfies it (or the
// statement does not apply to it) and otherwise a message that names the
// element, the inputs, the expected and the got.
type Prop[F focal.Float, K interface{ Name() string }, C any, O interface{ gen() gopter.Gen }] struct {
	Name  string
	Doc   string // the statement, one line
	opts  func(bits int, wide bool) O
	Check func(k K, c C, bar focal.Bar) string
}

// Property is one named statement about a kernel's flat form.
type Property[F focal.Float] = Prop[F, focal.Kernel[F], Case, genOpts]

// Properties lists the properties for element type F. Each holds for every
// correct kernel, within its bar and where its bar says it is valid.
func Properties[F focal.Float]() []Property[F] {
	finite := func(b int, w bool) genOpts { return genOpts{bits: b, wideGamma: w} }
	inf := func(b int, w bool) genOpts { return genOpts{bits: b, specials: true, wideGamma: w} }
	all := func(b int, w bool) genOpts { return genOpts{bits: b, specials: true, nan: true, wideGamma: w} }
	moderate := func(b int, w bool) genOpts { return genOpts{bits: b, maxAbs: 50, wideGamma: w} }
	return []Property[F]{
		{"bce-at-gamma0", "γ = 0 gives α_t-weighted binary cross-entropy", finite, bceAtGamma0[F]},
		{"nonneg-finite", "loss ≥ 0 for every input; loss and gradient finite for finite x", inf, nonnegFinite[F]},
		{"agree-stable", "loss and gradient within both bars of the stable kernel", all, agreeStable[F]},
		{"label-symmetry", "FL(x, t, α, γ) = FL(-x, 1-t, 1-α, γ), and the gradient changes sign", inf, labelSymmetry[F]},
		{"monotone-gamma", "the loss does not increase with γ, and FL ≤ α_t·CE", inf, monotoneGamma[F]},
		{"grad-fd", "the gradient matches a central finite difference", moderate, gradFD[F]},
		{"grad-gamma0", "at γ = 0 the gradient is α_t(σ(x) - t)", finite, gradGamma0[F]},
		{"grad-sign-hard", "for hard targets the gradient has the sign of σ(x) - t", inf, gradSignHard[F]},
		{"sum-vs-loss", "Sum is the sum of Loss", all, sumVsLoss[F]},
		{"sum-concat", "Sum of a concatenation is the sum of its parts' Sums", all, sumConcat[F]},
		{"lossgrad-loss-exact", "LossGrad's loss is Loss's, bit for bit; LossGrad(nil, …) gives the same gradient", all, lossGradExact[F]},
	}
}

// Gen returns the generator of p's cases under cfg.
func (p Prop[F, K, C, O]) Gen(cfg Config) gopter.Gen {
	return p.opts(bitsOf[F](), cfg.WideGamma).gen()
}

// Run checks p on k with cfg's cases (for the softmax form cfg.Bar is the
// softmax bar) and returns "" if every case holds, or the report of the
// failure, shrunk to a small case, with the seed.
func (p Prop[F, K, C, O]) Run(k K, cfg Config) string {
	return Check(p.Name+"/"+k.Name(), cfg, func(c C) string { return p.Check(k, c, cfg.Bar) }, p.Gen(cfg))
}

// Check runs check on cfg.N cases of gen (Cases, the rows form's RowsCases
// or the softmax form's SoftmaxCases) and reports the first failure shrunk.
func Check[C any](label string, cfg Config, check func(C) string, gen gopter.Gen) string {
	params := gopter.DefaultTestParametersWithSeed(cfg.Seed)
	params.MinSuccessfulTests = cfg.N
	params.MaxShrinkCount = 2000
	res := prop.ForAll(check, gen).Check(params)
	if res.Passed() {
		return ""
	}
	var buf bytes.Buffer
	gopter.NewFormatedReporter(true, 1<<20, &buf).ReportTestResult(label, res)
	return fmt.Sprintf("%sseed %d, %d cases", buf.String(), cfg.Seed, cfg.N)
}

// Rerun returns the command that reruns the test called testName (t.Name())
// with cfg's cases, from its package's directory.
func Rerun(testName string, cfg Config) string {
	parts := strings.Split(testName, "/")
	for i, s := range parts {
		parts[i] = "^" + regexp.QuoteMeta(s) + "$"
	}
	return fmt.Sprintf("%s=%d %s=%d go test -run '%s' -v .", EnvSeed, cfg.Seed, EnvN, cfg.N, strings.Join(parts, "/"))
}

// Bound is a property bound to a kernel, whatever its form: what a test
// runner needs to run it.
type Bound struct {
	Name string
	Doc  string
	Run  func(cfg Config) string // see Prop.Run
}

// Bind binds every property of ps to k.
func Bind[F focal.Float, K interface{ Name() string }, C any, O interface{ gen() gopter.Gen }](ps []Prop[F, K, C, O], k K) []Bound {
	bs := make([]Bound, len(ps))
	for i, p := range ps {
		bs[i] = Bound{p.Name, p.Doc, func(cfg Config) string { return p.Run(k, cfg) }}
	}
	return bs
}
