// Package avx512 is the C peer (see package cpeer) compiled for AVX-512 (-march=x86-64-v4).
// It has code only with -tags cpeer; its functions must only be called on a
// CPU that has those instructions.
package avx512
