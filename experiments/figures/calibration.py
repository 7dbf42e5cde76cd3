"""The calibration figure: each target's relative error against its tolerance (from fit.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzsim.figures.style import GREY, OTHER_COLOURS, plt, user_text_safe
from sim.targets import bound_column, within_tolerance


@user_text_safe
def fit_figure(fit: pd.DataFrame, labels=None):
    """Horizontal bars of simulated/observed - 1 per target, with the +-tolerance band.

    Bars inside the tolerance are filled, bars outside are hollow; ``labels`` (optional, one
    per row) name the targets, else the ``quantity`` column does. A bound target (``bound``
    column, :mod:`sim.targets`) is marked ``(at least)`` or ``(at most)`` and its tolerance runs
    to the plot's edge on its allowed side.
    """
    names = list(labels) if labels is not None else list(fit["quantity"])
    bounds = bound_column(fit)
    names = [n + {"lower": " (at least)", "upper": " (at most)"}.get(b, "")
             for n, b in zip(names, bounds, strict=True)]
    err = fit["relative_error"].to_numpy(dtype=float) * 100
    tol = fit["tolerance"].to_numpy(dtype=float) * 100
    inside = within_tolerance(err, tol, bounds)
    y = np.arange(len(fit))[::-1]
    edge = 1.1 * max(np.nanmax(np.abs(err)), np.nanmax(tol))
    fig, ax = plt.subplots(figsize=(8.0, 0.38 * len(fit) + 1.6), layout="constrained")
    for yi, t, b in zip(y, tol, bounds, strict=True):
        ax.plot([-edge if b == "upper" else -t, edge if b == "lower" else t], [yi, yi],
                color=GREY, lw=7, alpha=0.35, solid_capstyle="butt")
    colour = OTHER_COLOURS[1]
    ax.barh(y[inside], err[inside], 0.5, color=colour, label="within tolerance")
    ax.barh(y[~inside], err[~inside], 0.5, color="white", edgecolor=colour, hatch="//",
            label="outside tolerance")
    ax.plot([], [], color=GREY, lw=7, alpha=0.35, label="tolerance (+-)")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel("simulated against observed (%)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(f"Calibration: {int(inside.sum())} of {len(fit)} targets within tolerance",
                 fontsize=10)
    return fig
