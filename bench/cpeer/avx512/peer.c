//go:build cpeer

#include "../focal_peer.h"

double focal_peer_sum32_avx512(const float *x, const float *t, size_t n, float alpha, float gamma) {
	return focal_sum(x, t, n, alpha, gamma);
}
