package model

// What a kernel family written in Go (impl/archsimd) needs from the model
// besides its element functions: the constants its lanes load, and the
// primitives its vector code is held to lane for lane. The values and the
// code live where the model uses them (model32.go, soft32.go, model64.go);
// these are their exported names.

// The float32 lanes' constants (model32.go, soft32.go).
const (
	ExpLo32    = expLo
	LoMax      = loMax
	LoMin      = loMin
	Log2e32    = log2e
	Ln2hi32    = ln2hi
	Ln2lo32    = ln2lo
	Sqrt2f32   = sqrt2
	MzLo32     = mzLo
	SignBit32  = signBit
	Ln2hi16    = ln2hi16
	Ln2lo16    = ln2lo16
	FlagTiny32 = flagTiny
	SoftFlag   = softFlag
	SoftNear   = softNear
	SoftFloor  = softFloor
	MantMask32 = mantMask
)

// ExpPoly32 is exp's polynomial in the float32 lanes, highest degree first:
// p(r) = 1 + r + r²·(c0 r⁵ + … + c5) (ExpSplit32).
var ExpPoly32 = [...]float32{ep0, ep1, ep2, ep3, ep4, ep5}

// LogPoly32 is log's polynomial in the float32 lanes, highest degree first:
// log(1+f) = f - f²/2 + f³·(c0 f⁸ + … + c8).
var LogPoly32 = [...]float32{lp0, lp1, lp2, lp3, lp4, lp5, lp6, lp7, lp8}

// The float64 lanes' constants (model64.go).
const (
	ExpLo64   = expLo64
	Log2e64   = log2e64
	Ln2hi64   = ln2hi64
	Ln2lo64   = ln2lo64
	Sqrt2f64  = sqrt2f64
	MzLo64    = mzLo64
	SignBit64 = sign64
	Magic64   = magic64
)

// ExpPoly64 is Q(r) of exp(r) = 1 + r + r²·Q(r) in the float64 lanes,
// highest degree first, evaluated as ExpSplit64 evaluates it.
var ExpPoly64 = expQ64

// LogPoly64 is P(f) of log(1+f) = f - f²/2 + f³·P(f) in the float64 lanes,
// highest degree first, evaluated as Log1pE64 evaluates it.
var LogPoly64 = logP64

// ExpSplit32 returns exp(h+lo) for h ≤ 0 as e + eLo, eLo the rounding error
// of the polynomial's last addition scaled like e (lo used if withLo, held
// to ±1/64): the exp of ElemHard32.
func ExpSplit32(h, lo float32, withLo bool) (e, eLo float32) { return expSplit(h, lo, withLo) }

// ExpSoft32 is ExpSplit32(h, 0, false) with el2, the rounding errors that
// eLo leaves out: e + el + el2 = exp(h) to about 2^-27 (ElemGen32's exp).
func ExpSoft32(h float32) (e, el, el2 float32) { return expSoft(h) }

// LogHL32 returns log(ah) as hi+lo for ah in (0, 1] normal (ElemGen32's log A).
func LogHL32(ah float32) (hi, lo float32) { return logHL(ah) }

// Log1pHL32 returns log1p(e) as l+lo given u = 1+e rounded and c, u's
// rounding error over u; l is ElemHard32's log1p.
func Log1pHL32(u, c float32) (l, lo float32) { return log1pHL(u, c) }

// ExpSplit64 is ExpSplit32 in float64: the exp of ElemHard64.
func ExpSplit64(h, lo float64, withLo bool) (e, eLo float64) { return expSplit64(h, lo, withLo) }

// Log1pE64 returns log1p(e) for e ∈ [0,1] given u = 1+e rounded and
// c = (e-(u-1))/u: the log1p of ElemHard64.
func Log1pE64(u, c float64) float64 { return log1pE64(u, c) }

// TwoSlope32 is the flat two-valued body's slope A1 - A0 as hi+lo, formed
// once per call (twoSlope32), for a family that broadcasts it.
func TwoSlope32(p *Params32) (d, dlo float32) { return twoSlope32(p) }
