"""Figures of a design search (``kzsim optimize``): the frontier among everything evaluated."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzsim.figures.style import GREY, OTHER_COLOURS, plt, user_text_safe
from sim.search.objectives import OBJECTIVES

FRONT = OTHER_COLOURS[1]


def _label(name: str) -> str:
    o = OBJECTIVES.get(name)
    return o.label if o is not None else name.replace("sanctions__", "")


@user_text_safe
def frontier_pairs(everything: pd.DataFrame, frontier: pd.DataFrame, objectives: list[str]):
    """Every pair of objectives: all evaluated designs (grey) and the frontier (filled)."""
    pairs = [(a, b) for i, a in enumerate(objectives) for b in objectives[i + 1:]] or [
        (objectives[0], objectives[0])]
    fig, axes = plt.subplots(1, len(pairs), figsize=(4.6 * len(pairs), 4.4), squeeze=False,
                             layout="constrained")
    for ax, (x, y) in zip(axes[0], pairs, strict=True):
        ax.scatter(everything[x], everything[y], s=8, color=GREY, alpha=0.5,
                   label="evaluated designs")
        ax.scatter(frontier[x], frontier[y], s=26, color=FRONT, edgecolor="black", lw=0.4,
                   label="frontier (non-dominated, feasible)")
        ax.set_xlabel(_label(x), fontsize=8)
        ax.set_ylabel(_label(y), fontsize=8)
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=7, loc="best")
    fig.suptitle(f"Design search: {len(frontier)} frontier designs among {len(everything)} "
                 "evaluated (objectives robust across the same paired runs)", fontsize=10)
    return fig


@user_text_safe
def frontier_parallel(frontier: pd.DataFrame, levers: list[str], objectives: list[str],
                      ranges: dict[str, tuple[float, float]]):
    """Parallel coordinates of the frontier designs.

    Levers are scaled to their searched ranges, objectives to their range on the frontier;
    each line is one design, coloured by the first objective.
    """
    columns = [*levers, *objectives]
    scaled = pd.DataFrame(index=frontier.index)
    for c in columns:
        lo, hi = ranges.get(c, (frontier[c].min(), frontier[c].max()))
        scaled[c] = (frontier[c] - lo) / (hi - lo) if hi > lo else 0.5
    first = frontier[objectives[0]].to_numpy(float)
    span = np.ptp(first) or 1.0
    colours = plt.cm.viridis((first - first.min()) / span)
    fig, ax = plt.subplots(figsize=(max(8.0, 1.05 * len(columns)), 4.8), layout="constrained")
    xs = np.arange(len(columns))
    for (_, row), colour in zip(scaled.iterrows(), colours, strict=True):
        ax.plot(xs, row.to_numpy(float), color=colour, lw=1.0, alpha=0.8)
    ax.axvline(len(levers) - 0.5, color="black", lw=0.8, ls="--")
    ax.set_xticks(xs, [c.replace("sanctions__", "") for c in columns], rotation=30,
                  ha="right", fontsize=8)
    ax.set_ylim(-0.05, 1.05)
    ax.set_ylabel("position in the lever's searched range / the objective's frontier range",
                  fontsize=8)
    ax.grid(axis="x", alpha=0.4)
    ax.set_title(f"The {len(frontier)} frontier designs: levers (left of the dashed line) and "
                 f"objectives; colour = {_label(objectives[0])}", fontsize=9)
    return fig


__all__ = ["frontier_pairs", "frontier_parallel"]
