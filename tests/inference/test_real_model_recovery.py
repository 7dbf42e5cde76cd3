"""ABC-SMC with the batched 2022 replay as its simulator recovers known parameter values.

Synthetic 2022 data (the 16 targets of configs/targets/kz2022.yaml and the UN vote agreement
of the observation model) come from one run at known values of three calibrated parameters
and the observation slope; 200 particles, 4 generations, semi-automatic summaries from a
pilot of 1000 prior draws (experiments/abc_recovery.py; about 5 s).
"""

from __future__ import annotations

import numpy as np

from kzsim.abc_recovery import PRIOR, TRUTH, main


def test_abc_recovers_three_calibrated_parameters_and_the_vote_slope():
    out = main(particles=200, generations=4, replications=1, pilot=1000, seed=12)
    post = out["posterior"]
    assert post.names == tuple(PRIOR)
    iv = post.interval(0.9)
    inside = (iv[:, 0] <= TRUTH) & (TRUTH <= iv[:, 1])
    assert inside.all(), dict(zip(post.names, iv.tolist(), strict=True))
    ratio = post.width_ratio(0.9)
    assert (ratio < 0.9).all() and ratio.mean() < 0.8, ratio
    eps = [g.epsilon for g in post.generations]
    assert all(b < a for a, b in zip(eps[1:], eps[2:], strict=False))
    assert np.abs(post.mean() - TRUTH).max() / np.max(np.abs(TRUTH)) < 0.2
