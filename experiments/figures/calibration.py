"""The calibration figure: each target's relative error against its tolerance (from fit.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzsim.figures.style import GREY, OTHER_COLOURS, plt, user_text_safe
from sim.targets import bound_column, shortfall, within_tolerance


@user_text_safe
def fit_figure(fit: pd.DataFrame, labels=None):
    """Horizontal bars of simulated/observed - 1 per target, with the +-tolerance band.

    Bars inside the tolerance are filled, bars outside are hollow; ``labels`` (optional, one
    per row) name the targets, else the ``quantity`` column does. A bound target (``bound``
    column, :mod:`sim.targets`) is marked ``(at least)`` or ``(at most)`` and its tolerance runs
    to the plot's edge on its allowed side; the axis fits the misses, and a bar beyond it (a met
    bound's surplus) is cut at the edge and labelled with its value.
    """
    names = list(labels) if labels is not None else list(fit["quantity"])
    bounds = bound_column(fit)
    names = [n + {"lower": " (at least)", "upper": " (at most)"}.get(b, "")
             for n, b in zip(names, bounds, strict=True)]
    err = fit["relative_error"].to_numpy(dtype=float) * 100
    tol = fit["tolerance"].to_numpy(dtype=float) * 100
    inside = within_tolerance(err, tol, bounds)
    y = np.arange(len(fit))[::-1]
    # the axis fits the misses; a met bound's surplus (no miss) is cut at the edge and labelled
    miss = np.abs(shortfall(err, bounds))
    edge = 1.15 * max(np.nanmax(miss), np.nanmax(tol))
    shown = np.clip(err, -edge, edge)
    fig, ax = plt.subplots(figsize=(8.0, 0.38 * len(fit) + 1.6), layout="constrained")
    for yi, t, b in zip(y, tol, bounds, strict=True):
        ax.plot([-edge if b == "upper" else -t, edge if b == "lower" else t], [yi, yi],
                color=GREY, lw=7, alpha=0.35, solid_capstyle="butt")
    colour = OTHER_COLOURS[1]
    ax.barh(y[inside], shown[inside], 0.5, color=colour, label="within tolerance")
    ax.barh(y[~inside], shown[~inside], 0.5, color="white", edgecolor=colour, hatch="//",
            label="outside tolerance")
    for yi, e, v in zip(y, err, shown, strict=True):
        if e != v:
            ax.annotate(f"{e:+.0f}%", (v, yi), xytext=(-3 if v > 0 else 3, 0),
                        textcoords="offset points", va="center", fontsize=7, color="white",
                        ha="right" if v > 0 else "left")
    ax.set_xlim(-edge, edge)
    ax.plot([], [], color=GREY, lw=7, alpha=0.35, label="tolerance (+-)")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel("simulated against observed (%)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(f"Calibration: {int(inside.sum())} of {len(fit)} targets within tolerance",
                 fontsize=10)
    return fig
