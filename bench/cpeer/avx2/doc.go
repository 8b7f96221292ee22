// Package avx2 is the C peer (see package cpeer) compiled for AVX2 and FMA (-march=x86-64-v3).
// It has code only with -tags cpeer; its functions must only be called on a
// CPU that has those instructions.
package avx2
