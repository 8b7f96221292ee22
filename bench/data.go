package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/focalkernels/focal"
)

// Alpha is the α of every benchmark: RetinaNet's default.
const Alpha = 0.25

// PositiveRate is the fraction of positives (t = 1, or an IoU score) in the
// benchmark data: a detector's classification head, where most anchors are
// background.
const PositiveRate = 1.0 / 64

// Targets is a kind of target, each a real workload; every benchmark and the
// report time each kind, because a kernel can be fast on one and slow on another.
type Targets string

const (
	// Hard targets are 0 or 1: a detection head's one-hot labels.
	Hard Targets = "hard"
	// Smooth is label smoothing 0.1 (Keras' label_smoothing, distillation):
	// every target is 0.05 or 0.95, so every target is soft.
	Smooth Targets = "smooth"
	// IoU is Quality/Varifocal-style targets (GFL, VFNet, PP-YOLOE): the
	// positives' targets are IoU scores, uniform in (0, 1]; negatives are 0.
	IoU Targets = "iou"
)

// AllTargets lists the kinds, hard first.
var AllTargets = []Targets{Hard, Smooth, IoU}

// ParseTargets reads a kind by name.
func ParseTargets(s string) (Targets, error) {
	for _, k := range AllTargets {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("targets %q: want one of %v", s, AllTargets)
}

// Data returns n logits from N(0, 4²) and n targets of the given kind, with
// positives at PositiveRate: the same for every call with the same n, kind
// and element type.
func Data[F focal.Float](n int, kind Targets) (x, t []F) {
	r := rand.New(rand.NewPCG(0xf0ca1, uint64(n)))
	x = make([]F, n)
	t = make([]F, n)
	for i := range x {
		x[i] = F(4 * r.NormFloat64())
		pos := r.Float64() < PositiveRate
		switch kind {
		case Hard:
			if pos {
				t[i] = 1
			}
		case Smooth:
			t[i] = 0.05
			if pos {
				t[i] = 0.95
			}
		case IoU:
			if pos {
				t[i] = F(1 - r.Float64()) // (0, 1]
			}
		default:
			panic("bench: unknown targets " + string(kind))
		}
	}
	return x, t
}
