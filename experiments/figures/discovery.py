"""The scenario-discovery figure: runs on the two levers of the best box, the box drawn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.figures.levers import lever_label
from experiments.figures.style import plt
from sim.analysis.discovery import Box


def discovery_figure(x: pd.DataFrame, y: np.ndarray, boxes: list[Box], target: str):
    """Scatter of runs (target in colour) on the best box's two main levers, boxes outlined."""
    best = boxes[0]
    levers = list(best.limits)[:2]
    if len(levers) < 2:
        levers += [c for c in x.columns if c not in levers][: 2 - len(levers)]
    fig, ax = plt.subplots(figsize=(7.5, 6.6))
    rng = np.random.default_rng(0)
    show = rng.permutation(len(x))[:4000]
    xs, ys = x[levers[0]].to_numpy()[show], x[levers[1]].to_numpy()[show]
    hit = np.asarray(y)[show]
    ax.scatter(xs[~hit], ys[~hit], s=6, color="#999999", alpha=0.4, label="target not met")
    ax.scatter(xs[hit], ys[hit], s=8, color="#D55E00", alpha=0.7, label="target met")
    for i, b in enumerate(boxes[:3]):
        lo0, hi0 = b.limits.get(levers[0], (x[levers[0]].min(), x[levers[0]].max()))
        lo1, hi1 = b.limits.get(levers[1], (x[levers[1]].min(), x[levers[1]].max()))
        ax.add_patch(plt.Rectangle((lo0, lo1), hi0 - lo0, hi1 - lo1, fill=False,
                                   lw=2.5 if i == 0 else 1.2, ls="-" if i == 0 else "--",
                                   edgecolor="#0072B2"))
    lines = []
    for i, b in enumerate(boxes[:3]):
        ranges = "; ".join(f"{k.split('.')[-1]} {lo:.2f}-{hi:.2f}" for k, (lo, hi) in b.limits.items())
        lines.append(f"box {i + 1} ({'solid' if i == 0 else 'dashed'}): coverage {b.coverage:.0%}, "
                     f"density {b.density:.0%} — {ranges}")
    fig.text(0.02, 0.01, "\n".join(lines), fontsize=7.5, va="bottom", color="#0072B2")
    ax.set_xlabel(lever_label(levers[0]))
    ax.set_ylabel(lever_label(levers[1]))
    ax.set_title(f"Scenario discovery for '{target}' ({np.mean(y):.0%} of runs):\nlever ranges "
                 "where it is likely (box 1 solid; other levers of a box not shown)", fontsize=9)
    ax.legend(fontsize=8, loc="upper right", framealpha=0.9)
    fig.tight_layout(rect=(0, 0.02 + 0.035 * min(3, len(boxes)), 1, 1))
    return fig
