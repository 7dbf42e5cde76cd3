"""Stage 11: Kazakhstan weighs the pushes, its doctrine pulls (M16), alignment moves."""

from __future__ import annotations

import numpy as np

from sim.stages.next_state import next_state
from sim.state import first_rows, rows_after

_UNSCALED = np.ones(1)        # a push Kazakhstan does not weigh by its responsiveness (M16)
_NO_LEVEL = np.zeros((1, 4))  # a push without a benchmark level (M25 off, or none recorded)


def alignment(f) -> None:
    """Scale outside pushes by responsiveness, add the doctrine and noise, take the step."""
    outside = tuple(f.pushes)          # what Kazakhstan weighs by its responsiveness
    f.run("doctrine")                  # M16 adds its pull; M25 names the benchmark levels
    if np.any(f.p.noise.alignment > 0):
        sd = f.p.noise.alignment
        shock = (sd if np.ndim(sd) == 0 else sd[:, None]) * f.ctx.streams["world"].normals(
            f.t, 10, 4)
    else:
        shock = np.zeros((f.n, 4))
    f.shock = shock
    f.total_push = settle(f, outside, shock)
    f.align, f.step = replicator(f.s.align, f.total_push, f.p.alignment)
    f.next = next_state(f)


def settle(f, outside, shock: np.ndarray) -> np.ndarray:
    """Each push as it enters the step, and their sum with the noise (runs, 4).

    A push from outside is scaled by Kazakhstan's responsiveness; M25 (when on) counts each
    push from its benchmark level (``f.benchmark_levels``); a mechanism with a level but no
    push this month enters as ``-level``. The total adds the noise and then every push in
    ``f.pushes`` order. One pass per push does the three steps (``kernels.settle_push``).
    When nothing reads the pushes (``f.ctx.keep_pushes`` false: a batch with no observer
    that reads them, :meth:`sim.model.KazakhstanModel.reads_pushes`) only the total is
    formed and ``f.pushes`` is emptied; otherwise the settled pushes of the first
    ``f.ctx.kept_rows`` rows are kept (all rows when None: a batch's counterfactual rows,
    after its runs, are not recorded).
    """
    from sim import kernels
    rho = kernels.run_param(f.kaz.responsiveness)
    levels = f.benchmark_levels or {}
    keep = f.ctx.keep_pushes
    k = f.n if f.ctx.kept_rows is None or not keep else f.ctx.kept_rows
    total = shock.copy()
    settled = {}
    for mid, value in f.pushes.items():
        level = levels.get(mid, _NO_LEVEL)
        level = kernels.contiguous(level, np.shape(level)).reshape(-1, 4)
        value = kernels.contiguous(value, total.shape)
        scale = rho if mid in outside else _UNSCALED
        out = np.empty((k, 4)) if keep else None
        if keep and k < f.n:     # the kept rows with their settled push, the others without
            kernels.settle_push(*(first_rows(x, k, f.n) for x in (value, scale, level)), out,
                                total[:k])
            kernels.settle_push(*(rows_after(x, k, f.n) for x in (value, scale, level)), None,
                                total[k:])
        else:
            kernels.settle_push(value, scale, level, out, total)
        settled[mid] = out
    for mid, level in levels.items():
        if mid not in settled:
            negative = -level
            total += negative
            settled[mid] = first_rows(negative, k, f.n)
    f.pushes = settled if keep else {}
    return total


def replicator(align: np.ndarray, total: np.ndarray, p) -> tuple[np.ndarray, np.ndarray]:
    """Replicator step: a_k += s * a_k * (P_k - sum_j a_j P_j).

    s is capped so no share falls by more than ``max_step`` of itself. Stays on the simplex;
    linear in the pushes, so each push's share of the change is exact (see
    :mod:`sim.attribution`).
    """
    from sim import kernels
    new, step = np.empty(align.shape), np.empty(align.shape[0])
    kernels.replicator_step(align, total, kernels.run_param(p.rate), kernels.run_param(p.max_step),
                            new, step)
    return new, step
