// pipes.c: what one execution resource of this CPU does per cycle, for the
// instructions the kernels' loops are made of: loops of 10 independent
// instructions of one kind (or of two kinds, 10 each), timed over 5·10^6
// iterations, best of 7. Cycles come from a chain of dependent 64-bit
// multiplies (3 cycles each on Intel and AMD cores).
//
//	gcc -O2 -mavx512f -mavx512vl pipes.c -o pipes && ./pipes
#include <stdio.h>
#include <time.h>

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

#define R10(op) op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9)
#define FMAZ(i) "vfmadd231ps %%zmm30, %%zmm31, %%zmm" #i "\n\t"
#define ADDZ(i) "vaddps %%zmm30, %%zmm1" #i ", %%zmm1" #i "\n\t"
#define ANDZ(i) "vpandd %%zmm30, %%zmm1" #i ", %%zmm1" #i "\n\t"
#define CMPK(i) "vcmpps $1, %%zmm30, %%zmm" #i ", %%k1\n\t"
#define DIVZ(i) "vdivps %%zmm30, %%zmm31, %%zmm1" #i "\n\t"
#define DIVZD(i) "vdivpd %%zmm30, %%zmm31, %%zmm1" #i "\n\t"
#define FMAY(i) "vfmadd231ps %%ymm30, %%ymm31, %%ymm" #i "\n\t"
#define ADDY(i) "vaddps %%ymm30, %%ymm1" #i ", %%ymm1" #i "\n\t"
#define ANDY(i) "vpandd %%ymm30, %%ymm1" #i ", %%ymm1" #i "\n\t"
#define BLENDY(i) "vblendvps %%ymm14, %%ymm15, %%ymm" #i ", %%ymm" #i "\n\t"
#define PERMY(i) "vpermilps %%ymm14, %%ymm15, %%ymm" #i "\n\t"
#define FMAY2(i) "vfmadd231ps %%ymm30, %%ymm31, %%ymm2" #i "\n\t"
#define ADDY2(i) "vaddps %%ymm30, %%ymm2" #i ", %%ymm2" #i "\n\t"
#define LOGY2(i) "vpandd %%ymm30, %%ymm2" #i ", %%ymm2" #i "\n\t"
#define DIVY(i) "vdivps %%ymm30, %%ymm31, %%ymm1" #i "\n\t"

static double ghz;

#define T(name, body, per)                                                       \
	{                                                                        \
		long n = 5000000;                                                \
		double best = 1e9;                                               \
		for (int r = 0; r < 7; r++) {                                    \
			double t0 = now();                                       \
			for (long i = 0; i < n; i++)                             \
				__asm__ volatile(body ::: "memory");             \
			double t = now() - t0;                                   \
			if (t < best)                                            \
				best = t;                                        \
		}                                                                \
		printf("%-26s %5.2f a cycle\n", name, per * 10.0 * n / (best * ghz * 1e9)); \
	}

int main(void) {
	long x = 3, n = 50000000;
	double best = 1e9;
	for (int r = 0; r < 5; r++) {
		double t0 = now();
		for (long i = 0; i < n; i++)
			__asm__ volatile("imul %0,%0\n\timul %0,%0\n\timul %0,%0\n\timul %0,%0\n\t" : "+r"(x));
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	ghz = 3.0 * 4 * n / best / 1e9;
	printf("clock (imul chain)          %5.2f GHz\n", ghz);
	__asm__ volatile("vbroadcastss %0, %%zmm30\n\tvbroadcastss %0, %%zmm31" ::"m"((float){1.5f}));
	T("zmm FMA", R10(FMAZ), 1)
	T("zmm add", R10(ADDZ), 1)
	T("zmm logic", R10(ANDZ), 1)
	T("zmm FMA + add", R10(FMAZ) R10(ADDZ), 2)
	T("zmm FMA + logic", R10(FMAZ) R10(ANDZ), 2)
	T("zmm compare into K", R10(CMPK), 1)
	T("zmm VDIVPS", R10(DIVZ), 1)
	T("zmm VDIVPD", R10(DIVZD), 1)
	T("ymm FMA", R10(FMAY), 1)
	T("ymm add", R10(ADDY), 1)
	T("ymm logic", R10(ANDY), 1)
	T("ymm FMA + add", R10(FMAY) R10(ADDY), 2)
	T("ymm FMA + logic", R10(FMAY) R10(ANDY), 2)
	T("ymm VDIVPS", R10(DIVY), 1)
	// VBLENDVPS has a VEX form only (registers 0-15): the mask in ymm14,
	// the source in ymm15 (sign bits set), the others in ymm20-29 (EVEX)
	__asm__ volatile("vbroadcastss %0, %%ymm14\n\tvbroadcastss %0, %%ymm15" ::"m"((float){-1.5f}));
	T("ymm VBLENDVPS", R10(BLENDY), 1)
	T("ymm FMA + VBLENDVPS", R10(FMAY2) R10(BLENDY), 2)
	T("ymm add + VBLENDVPS", R10(ADDY2) R10(BLENDY), 2)
	T("ymm logic + VBLENDVPS", R10(LOGY2) R10(BLENDY), 2)
	// VPERMILPS by a vector control (ymm14), AVX2's select from a table
	T("ymm VPERMILPS", R10(PERMY), 1)
	T("ymm FMA + VPERMILPS", R10(FMAY2) R10(PERMY), 2)
	T("ymm FMA + add + VPERMILPS", R10(FMAY2) R10(ADDY) R10(PERMY), 3)
	return 0;
}
