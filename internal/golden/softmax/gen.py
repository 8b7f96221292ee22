#!/usr/bin/python3
"""Writes softmax_golden.csv: rows of the softmax focal loss with their exact
loss and gradient (mpmath) and what torch's autograd returns on them.

Run from this directory with /usr/bin/python3 (mpmath, torch, numpy):

    /usr/bin/python3 gen.py > softmax_golden.csv

The output is deterministic (seeded), so a rerun reproduces the file; see
README.md for the columns and the conventions at the edges.
"""

import math
import random
import struct
import sys

import mpmath as mp
import numpy as np
import torch

SEED = 1
DPS = 60  # working digits; raised per row where a value lies near a rounding boundary

INF = float("inf")
NAN = float("nan")


def f32(v):
    """v rounded to float32, as a Python float."""
    return float(np.float32(v))


def special(v):
    """The name of a NaN or infinite v ("nan", "inf", "-inf"); None for a finite v."""
    if v != v:
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return None


def s32(v):
    """The shortest decimal that reads back as the float32 v."""
    return special(v) or str(np.float32(v))


def s64(v):
    """The shortest decimal that reads back as the float64 v."""
    return special(v) or repr(float(v))


def truth(x, c, a, w, gamma):
    """The exact loss and gradient of one row, as mpf (inf, nan as floats).

    p = softmax(x), FL = -w*a*(1-p_c)^gamma*log p_c, grad_j = K*(d_jc - p_j),
    K = -w*a*[(1-p_c)^gamma - gamma*(1-p_c)^(gamma-1)*p_c*log p_c]. 1-p_c is
    the sum of the other classes' terms over the total, and -log p_c is
    log1p of the others' sum (the label at the maximum) or (m - x_c) +
    log1p of every term but the maximum's: terms of one sign, no
    cancellation at any precision. x_j - m is 0 where x_j equals the
    maximum m (so +inf logits count as equal; a row of -inf as uniform).
    """
    C = len(x)
    if any(v != v for v in x):
        return NAN, [NAN] * C
    m = max(x)
    ia = x.index(m)
    if x[c] == m:
        ia = c
    e = []
    for v in x:
        if v == m:
            e.append(mp.mpf(1))
        elif v == -INF or m == INF:
            e.append(mp.mpf(0))
        else:
            e.append(mp.exp(mp.mpf(v) - mp.mpf(m)))
    wa = mp.mpf(w) * mp.mpf(a)
    if wa == 0:
        return mp.mpf(0), [mp.mpf(0)] * C
    others = mp.fsum(e[j] for j in range(C) if j != c)
    z = others + e[c]
    q = others / z
    pc = e[c] / z
    if ia == c:
        L = mp.log1p(others)
    elif x[c] == -INF or m == INF:
        L = None  # +inf
    else:
        zm1 = mp.fsum(e[j] for j in range(C) if j != ia)
        L = (mp.mpf(m) - mp.mpf(x[c])) + mp.log1p(zm1)
    if gamma == 0:
        mod = mp.mpf(1)
    elif q == 0:
        mod = mp.mpf(0)
    else:
        mod = mp.exp(mp.mpf(gamma) * mp.log(q))
    term2 = mp.mpf(0)
    if gamma != 0 and q != 0 and pc != 0 and L is not None:
        term2 = mp.mpf(gamma) * (mod / q) * pc * L
    K = -wa * (mod + term2)
    loss = INF if L is None else wa * mod * L
    grad = [K * q if j == c else -K * e[j] / z for j in range(C)]
    return loss, grad


def rounded(v, mant, emin):
    """v (mpf) rounded to nearest-even with mant bits, subnormals below 2^emin."""
    e = mp.floor(mp.log(abs(v), 2))
    e = max(int(e), emin)
    u = mp.ldexp(1, e - mant + 1)  # the spacing there
    return mp.nint(v / u) * u, u


def nearest_boundary(v):
    """The rounding boundary of float32 or float64 nearest v, relative to v:
    (distance, boundary), or None for 0, inf, nan."""
    if not isinstance(v, mp.mpf) or v == 0 or not mp.isfinite(v):
        return None
    best = None
    for mant, emin in ((24, -126), (53, -1022)):
        r, u = rounded(v, mant, emin)
        for mid in (r - u / 2, r + u / 2):
            t = abs(v - mid) / abs(v)
            if best is None or t < best[0]:
                best = (t, mid)
    return best


def tie_distance(v):
    b = nearest_boundary(v)
    return None if b is None else b[0]


def near_tie(v):
    """v lies within 1e-50 of a rounding boundary of float32 or float64."""
    d = tie_distance(v)
    return d is not None and d <= mp.mpf(10) ** -50


def exact(x, c, a, w, gamma):
    """The row's values as strings: truth() at DPS digits, or at more where
    a value is near a tie (the terms e^(x_j - m) a row's sums may drop at
    DPS digits decide it)."""
    dps = DPS
    with mp.workdps(dps):
        loss, grad = truth(x, c, a, w, gamma)
        if any(near_tie(v) for v in [loss] + grad):
            finite = [v for v in x if not math.isinf(v)]
            spread = (max(finite) - min(finite)) if finite else 0
            dps = min(DPS + 20 + int(spread / math.log(10)), 20000)
    with mp.workdps(dps):
        if dps != DPS:
            loss, grad = truth(x, c, a, w, gamma)
        return sref(loss), [sref(v) for v in grad]


def sref(v):
    """25 significant digits; where v lies within 1e-20 of a rounding
    boundary of float32 or float64, the boundary moved 1e-22 of v toward v,
    with 30 digits: a decimal that rounds as v does in either type, within
    1e-21 of it."""
    if not isinstance(v, mp.mpf):
        return s64(v)
    b = nearest_boundary(v)
    if b is not None and b[0] < mp.mpf(10) ** -20:
        t, mid = b
        if t == 0:
            raise ValueError("a value exactly on a rounding boundary: %s" % v)
        v = mid + mp.sign(v - mid) * abs(v) * mp.mpf(10) ** -22
        return mp.nstr(v, 30, strip_zeros=True, min_fixed=-5, max_fixed=5)
    return mp.nstr(v, 25, strip_zeros=True, min_fixed=-5, max_fixed=5)


def torch_row(x, c, a, w, gamma, dtype):
    """kornia's focal_loss (log_softmax, exp, pow, a one-hot mask), the
    row's alpha_c, times the weight, and the gradient autograd gives."""
    t = torch.tensor([x], dtype=dtype, requires_grad=True)
    logp = torch.log_softmax(t, dim=1)
    onehot = torch.zeros_like(logp)
    onehot[0, c] = 1
    focal = -torch.pow(1.0 - logp.exp(), gamma) * logp * onehot
    loss = (focal * a).sum() * w
    loss.backward()
    return loss.item(), t.grad[0].tolist()


class Gen:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.rows = []

    def normal(self, n, s=1.0):
        return [f32(self.rng.gauss(0, s)) for _ in range(n)]

    def add(self, x, c, alpha=0.25, gamma=2.0, weight=1.0, class_alpha=None):
        x = [f32(v) for v in x]
        # the weight is an element of the row's type: float32-representable
        self.rows.append((x, c, alpha, gamma, f32(weight), class_alpha))

    def right(self, C, k, **kw):
        """A row whose label's logit puts 1-p_c at about 10^-k."""
        c = self.rng.randrange(C)
        x = self.normal(C)
        if C > 1:
            lse = math.log(sum(math.exp(v) for j, v in enumerate(x) if j != c))
            x[c] = lse + k * math.log(10)
        self.add(x, c, **kw)


def build():
    g = Gen()
    r = g.rng
    # mmcv's own test rows (tests/test_ops/test_focal_loss.py): alpha 0.25, gamma 2
    for xs, labels in (
        ([[1.0, 0], [0, 1.0]], [0, 1]),
        ([[1.0, 0, -1.0], [0, 1.0, 2.0]], [2, 1]),
        ([[1e-6, 2e-6, 3e-6], [4e-6, 5e-5, 6e-4], [7e-3, 8e-2, 9e-1]], [1, 2, 0]),
    ):
        for x, c in zip(xs, labels):
            g.add(x, c, 0.25, 2.0)
    gammas = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0]
    # random rows, every C, gamma, alpha off and on
    for C in (2, 3, 21, 80):
        for gamma in gammas:
            for alpha in (-1.0, 0.25):
                g.add(g.normal(C, 2.0), r.randrange(C), alpha, gamma)
        for _ in range(4):
            g.add(g.normal(C, 4.0), r.randrange(C), r.choice([0.0, 1.0, 0.75, r.random()]), r.uniform(0, 5))
    # confident-right rows: 1-p_c from 0.1 down to 1e-400
    for C in (2, 3, 21, 80):
        for k in (1, 3, 7, 15, 30, 45, 100, 300, 320, 400):
            for gamma in (0.0, 0.5, 2.0, 5.0):
                g.right(C, k, alpha=r.choice([-1.0, 0.25]), gamma=gamma)
    for k in (7, 300):
        for gamma in (0.0, 2.0):
            g.right(1000, k, alpha=0.25, gamma=gamma)
    # confident-wrong rows: another class ahead by a margin
    for C in (2, 3, 21, 80):
        for margin in (1, 10, 50, 100, 700):
            for gamma in (0.0, 2.0, 5.0):
                x = g.normal(C)
                c = r.randrange(C)
                j = (c + 1 + r.randrange(C - 1)) % C
                x[j] = x[c] + margin
                g.add(x, c, 0.25, gamma)
    # logits of +-1e4, and rows shifted by +-1e4
    for C in (3, 21, 80):
        for gamma in (0.0, 2.0, 5.0):
            g.add([r.uniform(-1e4, 1e4) for _ in range(C)], r.randrange(C), 0.25, gamma)
    g.add([r.uniform(-1e4, 1e4) for _ in range(1000)], r.randrange(1000), 0.25, 2.0)
    for C in (3, 21, 80):
        for shift in (1e4, -1e4):
            x = g.normal(C, 2.0)
            g.add([v + shift for v in x], r.randrange(C), 0.25, 2.0)
            c = r.randrange(C)
            lse = math.log(sum(math.exp(v) for j, v in enumerate(x) if j != c))
            x[c] = lse + 20 * math.log(10)
            g.add([v + shift for v in x], c, 0.25, 2.0)
    # near-uniform rows
    for C in (2, 3, 21, 80, 1000):
        for gamma in (0.0, 2.0, 5.0) if C < 1000 else (2.0,):
            base = r.gauss(0, 3)
            g.add([base * (1 + 1e-6 * r.gauss(0, 1)) for _ in range(C)], r.randrange(C), 0.25, gamma)
    # C = 1
    for v, gamma in ((0.0, 2.0), (3.0, 0.0), (-1e4, 0.5), (1e30, 5.0)):
        g.add([v], 0, 0.25, gamma)
    # ClassAlpha, weights
    for C in (3, 21):
        for _ in range(5):
            ca = [r.random() for _ in range(C)]
            g.add(g.normal(C, 3.0), r.randrange(C), 0.25, r.choice(gammas), class_alpha=ca)
    for w in (0.5, 3.0, 0.0, 1e-3):
        g.add(g.normal(5, 3.0), r.randrange(5), 0.25, 2.0, weight=w)
    # ties, extremes and the special values
    for C in (3, 21):
        for on_tie in (True, False):
            x = g.normal(C, 2.0)
            m = max(x)
            ties = [j for j in range(C) if r.random() < 0.4] or [0]
            for j in ties:
                x[j] = m
            c = ties[0] if on_tie else next((j for j in range(C) if j not in ties), 0)
            g.add(x, c, 0.25, 2.0)
    big = float(np.finfo(np.float32).max)
    g.add([big, -big, 0.0], 0, 0.25, 2.0)
    g.add([big, -big, 0.0], 1, 0.25, 2.0)
    g.add([1e-45, -1e-45, 0.0, 1e-38], 2, 0.25, 0.5)
    g.add([3e38, 2.9e38, -3e38], 1, 0.25, 1.5)
    g.add([INF, 1.0, 2.0], 0, 0.25, 2.0)
    g.add([-INF, 0.0, 0.0], 0, 0.25, 2.0)
    g.add([5.0, INF, 2.0], 0, 0.25, 1.5)
    g.add([INF, INF, 2.0], 0, 0.25, 0.0)
    g.add([-INF, -INF, -INF, -INF], 1, 0.25, 0.0)
    g.add([1.0, NAN, 2.0], 0, 0.25, 2.0)
    return g.rows


def main():
    sys.set_int_max_str_digits(0)  # mpmath prints values far outside float64 through Python ints
    out = sys.stdout
    out.write(
        "# softmax focal loss golden rows; gen.py (seed %d); ref_* = mpmath %s, at %d digits or more, "
        "25 significant digits (more where a value lies near a rounding boundary); t32_*/t64_* = torch %s "
        "autograd of kornia's focal_loss form in float32/float64; alpha < 0 disables alpha weighting; "
        "vectors are space-separated\n" % (SEED, mp.__version__, DPS, torch.__version__)
    )
    out.write("c,label,alpha,gamma,weight,class_alpha,x,ref_loss,ref_grad,t32_loss,t32_grad,t64_loss,t64_grad\n")
    for x, c, alpha, gamma, weight, ca in build():
        a = ca[c] if ca is not None else (1.0 if alpha < 0 else alpha)
        loss, grad = exact(x, c, a, weight, gamma)
        l32, g32 = torch_row(x, c, a, weight, gamma, torch.float32)
        l64, g64 = torch_row(x, c, a, weight, gamma, torch.float64)
        out.write(
            ",".join(
                [
                    str(len(x)),
                    str(c),
                    s64(alpha),
                    s64(gamma),
                    s64(weight),
                    " ".join(s64(v) for v in ca) if ca is not None else "",
                    " ".join(s32(v) for v in x),
                    loss,
                    " ".join(grad),
                    s32(l32),
                    " ".join(s32(v) for v in g32),
                    s64(l64),
                    " ".join(s64(v) for v in g64),
                ]
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
