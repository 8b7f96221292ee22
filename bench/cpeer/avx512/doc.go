// Package avx512 is the C peer (see package cpeer) compiled for AVX-512 (-march=x86-64-v4: F, BW, CD, DQ, VL).
// It has code only with -tags cpeer; its Sum32 must only be called on a CPU
// that has those instructions.
package avx512
