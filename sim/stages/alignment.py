"""Stage 11: Kazakhstan weighs the pushes, its doctrine pulls (M16), alignment moves."""

from __future__ import annotations

import numpy as np

from sim.stages.next_state import next_state


def alignment(f) -> None:
    """Scale outside pushes by responsiveness, add the doctrine and noise, take the step."""
    rho = f.kaz.responsiveness
    if not (np.ndim(rho) == 0 and rho == 1.0):
        scale = rho if np.ndim(rho) == 0 else rho[:, None]
        for key in f.pushes:
            f.pushes[key] = f.pushes[key] * scale
    f.run("doctrine")
    if np.any(f.p.noise.alignment > 0):
        sd = f.p.noise.alignment
        shock = (sd if np.ndim(sd) == 0 else sd[:, None]) * f.ctx.streams["world"].normals(
            f.t, 10, 4)
    else:
        shock = np.zeros((f.n, 4))
    f.shock = shock
    total = shock.copy()
    for value in f.pushes.values():
        total += value
    f.align, f.step = replicator(f.s.align, total, f.p.alignment)
    f.total_push = total
    f.next = next_state(f)


def replicator(align: np.ndarray, total: np.ndarray, p) -> tuple[np.ndarray, np.ndarray]:
    """Replicator step: a_k += s * a_k * (P_k - sum_j a_j P_j).

    s is capped so no share falls by more than ``max_step`` of itself. Stays on the simplex;
    linear in the pushes, so each push's share of the change is exact (see
    :mod:`sim.attribution`).
    """
    a0, a1, a2, a3 = align[:, 0], align[:, 1], align[:, 2], align[:, 3]
    mean = a0 * total[:, 0] + a1 * total[:, 1] + a2 * total[:, 2] + a3 * total[:, 3]
    dev = total - mean[:, None]
    size = np.abs(dev)
    widest = np.maximum(np.maximum(size[:, 0], size[:, 1]), np.maximum(size[:, 2], size[:, 3]))
    np.maximum(widest, 1e-300, out=widest)
    step = np.minimum(p.rate, np.divide(p.max_step, widest, out=widest))
    new = step[:, None] * align
    new *= dev
    new += align
    norm = new[:, 0] + new[:, 1] + new[:, 2] + new[:, 3]
    new /= norm[:, None]
    return new, step
