#!/bin/sh
# searchlags.sh prints, for each function, the interleaving values with which
# its registers fit (alloc.go fails a function whose live registers exceed
# 16 vectors on AVX2, 32 on AVX-512): the largest greedy budget (-budget2,
# -softbudget2) and the smallest stagger (-lag2, -softlag2, -softlag512).
# Copy the values into budgetOf and lagOf in gen.go after changing the
# kernels' instruction sequence; keep a budget only where it measures faster
# than the stagger. ONLY=AVX2 (say) limits the search to those functions
# (64AVX2: the float64 ones).
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/gen" .
fits() { # fits FUNCTION FLAGS...: the function alone allocates with FLAGS
	f=$1
	shift
	"$tmp/gen" -only "$f" "$@" -out "$tmp/f.s" -stubs "$tmp/f.go" -pkg asm >/dev/null 2>&1
}
for w in "" 64; do
for isa in AVX2 AVX512; do
	case "$w$isa" in *"${ONLY:-}"*) ;; *) continue ;; esac
	for o in loss sum lossGrad; do
		for m in M0 M1 M2 MGen; do
			f=$o$w$isa$m
			if [ $isa = AVX2 ]; then
				for b in 14 13 12 11 10 9 8 7 6 5 4; do
					if fits "$f" -budget2 $b; then echo "budget $f: $b,"; break; fi
				done
				for l in 0 10 20 30 40 50 60 70 80 90 100 120 140 160 200 250 300 400; do
					if fits "$f" -lag2 $l -budget2 -1; then echo "lag $f: $l,"; break; fi
				done
				for l in 10 20 30 40 50 60 80 100 120 140 160 200 250 300 400; do
					if fits "$f" -softlag2 $l; then echo "lag ${f}Soft: $l,"; break; fi
				done
			else
				for l in 1 5 10 15 20 30 40 50 60 80 100 120 160 200; do
					if fits "$f" -softlag512 $l; then echo "lag ${f}Soft: $l,"; break; fi
				done
			fi
		done
	done
done
done
