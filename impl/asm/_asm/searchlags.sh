#!/bin/sh
# searchlags.sh prints, for each AVX2 function, the smallest stagger (-lag2)
# with which avo's allocation stays within Y0-Y15; copy the result into lagOf
# in main.go after changing the kernels' instruction sequence.
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for lag in 0 10 20 30 40 50 60 70 80 90 100 110 120 130 140 160 180 200; do
	go run . -lag2 $lag -only AVX2 -out "$tmp/f.s" -stubs "$tmp/f.go" -pkg asm 2>/dev/null || continue
	awk -v lag=$lag '
		/^TEXT/ { name = $2; avx2 = ($0 ~ /AVX2/); if (avx2) all[name] = 1 }
		avx2 && /[XY](1[6-9]|2[0-9]|3[01])([^0-9]|$)/ { bad[name] = 1 }
		END { for (n in all) if (!(n in bad)) print lag, n }' "$tmp/f.s"
done | sort -k2,2 -k1,1n | awk '!seen[$2]++ { sub(/^·/, "", $2); sub(/\(SB\),$/, "", $2); print $2 ": " $1 "," }'

# Then the largest budget with which the greedy interleave (-budget2) fits;
# copy into budgetOf where it measures faster than the stagger.
for b in 14 13 12 11 10 9 8 7 6 5 4; do
	go run . -budget2 $b -only AVX2 -out "$tmp/f.s" -stubs "$tmp/f.go" -pkg asm 2>/dev/null || continue
	awk -v b=$b '
		/^TEXT/ { name = $2; avx2 = ($0 ~ /AVX2/); if (avx2) all[name] = 1 }
		avx2 && /[XY](1[6-9]|2[0-9]|3[01])([^0-9]|$)/ { bad[name] = 1 }
		END { for (n in all) if (!(n in bad)) print b, n }' "$tmp/f.s"
done | sort -k2,2 -k1,1nr | awk '!seen[$2]++ { sub(/^·/, "", $2); sub(/\(SB\),$/, "", $2); print "budget " $2 ": " $1 "," }'
