"""M25 Benchmark replication: every push is measured from its level in the quiet benchmark.

A calibrated model must reproduce its benchmark year before it is asked about departures from
it: in applied general equilibrium the benchmark data are made an equilibrium of the model by
solving for the constants the model does not otherwise pin down ("benchmark replication";
Mansur & Whalley 1984; Shoven & Whalley 1992, *Applying General Equilibrium*, ch. 5; Dawkins,
Srinivasan & Whalley 2001, "Calibration", *Handbook of Econometrics* 5). Here each mechanism,
with the actors' own choices, evaluated at the state a run starts from in the quiet world (no
sanctions, no dated events, no noise), pushes alignment by some average ``B_m`` (runs, 4).
Nothing else holds that state still, so without a correction every quiet run drifts
(docs/EVIDENCE_PLAN.md, "Why alignment drifts toward Russia").

With M25 on, each mechanism's push is counted from its benchmark level: ``P_m - B_m``. The
constant ``-B_m`` stands for the forces the model does not represent that kept the benchmark
year's alignment where it was. It is computed once per run (:mod:`sim.benchmark`) and does not
change with time or state, so it is not a pull back toward the benchmark; every movement is a
mechanism's departure from its benchmark push (sanctions, events, the actors' changed
choices, and the feedback of alignment itself). Switching M25 off shows the raw drift.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def benchmark_pushes(quiet_months: Iterable[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """M25 Benchmark replication: each mechanism's mean push (runs, 4) over the quiet months.

    A mechanism missing from a month counts as a zero push that month. The months may be a
    generator: they are summed as they come, so only one is held at a time.
    """
    total: dict[str, np.ndarray] = {}
    n = 0
    for month in quiet_months:
        n += 1
        for mid, push in month.items():
            total[mid] = total.get(mid, 0.0) + np.asarray(push, dtype=float)
    for mid in total:
        total[mid] /= n
    return total


def apply_m25(f) -> None:
    """M25 (stage ``doctrine``, after M16): count each push from its benchmark level.

    Names the levels (``f.benchmark_levels``); the subtraction ``P_m - B_m`` is done as the
    alignment stage settles the pushes (:func:`sim.stages.alignment.settle`), in the same
    pass that scales and sums them. A mechanism with a level but no push this month enters
    as ``-B_m``.
    """
    f.benchmark_levels = f.ctx.benchmark
