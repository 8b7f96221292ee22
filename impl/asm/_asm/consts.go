package main

// The constants the kernels load, shared with generic.go, and their data section.

import (
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// Constants of generic.go, one 64-byte row each (16 copies of a float32).
var constNames = []string{}
var constVals = []uint32{}

func cf(name string, v float32) {
	constNames = append(constNames, name)
	constVals = append(constVals, math.Float32bits(v))
}
func ci(name string, v uint32) {
	constNames = append(constNames, name)
	constVals = append(constVals, v)
}

func init() {
	cf("zero", 0)
	cf("one", 1)
	cf("mone", -1)
	cf("mtwo", -2)
	cf("half", 0.5)
	cf("mhalf", -0.5)
	ci("sign", 0x80000000)
	cf("expLo", -104)
	cf("loMax", 1.0/64)
	cf("loMin", -1.0/64)
	cf("log2e", 1.44269504088896341)
	cf("ln2hi", 0.693359375)
	cf("ln2lo", -2.12194440e-4)
	cf("sqrt2", 1.41421356237)
	cf("mzLo", -256)
	cf("maxf", math.MaxFloat32)
	cf("inf", float32(math.Inf(1)))
	cf("ep0", 1.9875691500e-4)
	cf("ep1", 1.3981999507e-3)
	cf("ep2", 8.3334519073e-3)
	cf("ep3", 4.1665795894e-2)
	cf("ep4", 1.6666665459e-1)
	cf("ep5", 5.0000001201e-1)
	cf("lp0", 7.0376836292e-2)
	cf("lp1", -1.1514610310e-1)
	cf("lp2", 1.1676998740e-1)
	cf("lp3", -1.2420140846e-1)
	cf("lp4", 1.4249322787e-1)
	cf("lp5", -1.6668057665e-1)
	cf("lp6", 2.0000714765e-1)
	cf("lp7", -2.4999993993e-1)
	cf("lp8", 3.3333331174e-1)
	// the soft body (../soft.go)
	ci("absmask", 0x7fffffff)
	ci("allones", 0xffffffff)
	ci("mantmask", 0x007fffff)
	cf("ln2hi16", 0.693145751953125)
	cf("ln2lo16", 1.428606820309417232121458176568e-6)
	cf("tiny", 0x1p-126)
	cf("huge", 0x1p126)
	cf("softNear", 1.0/16)
	cf("softFlag", 1.0/4)
	ci("i127", 127)
	ci("im126", 0xffffff82) // -126
	ci("i127sh", 127<<23)
	// iota for AVX2 tail masks: lane i holds i
	ci("iota", 0) // lane j holds j: see emitConsts
}

var consts Mem

func c(name string) Mem {
	for i, n := range constNames {
		if n == name {
			return consts.Offset(64 * i)
		}
	}
	panic("no constant " + name)
}

func emitConsts() {
	consts = GLOBL("focalconsts", RODATA|NOPTR)
	for i, v := range constVals {
		for j := 0; j < 16; j++ {
			w := v
			if constNames[i] == "iota" {
				w = uint32(j)
			}
			DATA(64*i+4*j, U32(w))
		}
	}
}
