//go:build cpeer

#include "../focal_peer.h"

PEER_EXPORT(avx512)
