package main

// The arm64 kernels: package neon emits them (avo emits amd64 only) from
// this generator's constants; the dispatch to them is writeDispatch's.

import "github.com/focalkernels/focal/impl/asm/_asm/neon"

func writeNEON(asmPath, stubsPath, dispatchPath string) error {
	cs := make([]neon.Const, len(constNames))
	for i, n := range constNames {
		cs[i] = neon.Const{Name: n, Bits: constVals[i], Wide: constWide[i]}
	}
	cfg := neon.Config{Consts: cs, WideAlias: wideAlias, Command: "go run . (impl/asm/_asm)"}
	useWidth(false)
	cfg.Poly32 = neon.Poly{Exp: expCoeffs(), Log: logCoeffs()}
	useWidth(true)
	cfg.Poly64 = neon.Poly{Exp: expCoeffs(), Log: logCoeffs()}
	for i, n := range smNames {
		cfg.Softmax = append(cfg.Softmax, neon.Const{Name: n, Bits: smVals[i], Wide: true})
	}
	if err := neon.Generate(cfg, asmPath, stubsPath); err != nil {
		return err
	}
	return writeDispatch(dispatchPath, []string{"NEON"})
}
