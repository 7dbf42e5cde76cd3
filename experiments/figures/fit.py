"""The evidence fit's figures: the posterior-predictive check and what the data pin down."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzsim.figures.style import GREY, OTHER_COLOURS, plt, user_text_safe


@user_text_safe
def check_figure(check: pd.DataFrame):
    """Each observation against its posterior-predictive 90% band (``fit_check.csv``).

    Relative to the observation (band / observed - 1, in %), so trade in USD bn and vote shares
    share one axis; bands that hold the observation are filled, the others hollow.
    """
    obs = check["observed"].to_numpy(float)
    lo = (check["lower"].to_numpy(float) / obs - 1) * 100
    hi = (check["upper"].to_numpy(float) / obs - 1) * 100
    mean = (check["mean"].to_numpy(float) / obs - 1) * 100
    inside = check["inside"].astype(bool).to_numpy()
    names = [f"{q} {y}" for q, y in zip(check["quantity"], check["year"], strict=True)]
    y = np.arange(len(check))[::-1]
    fig, ax = plt.subplots(figsize=(8.0, 0.2 * len(check) + 1.6), layout="constrained")
    colour = OTHER_COLOURS[1]
    for yi, a, b, ok in zip(y, lo, hi, inside, strict=True):
        ax.plot([a, b], [yi, yi], color=colour if ok else GREY, lw=4 if ok else 1.5,
                solid_capstyle="butt")
    ax.plot(mean, y, "|", color="black", ms=7, label="posterior-predictive mean")
    ax.plot([], [], color=colour, lw=4, label="90% band holding the observation")
    ax.plot([], [], color=GREY, lw=1.5, label="90% band missing it")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, names, fontsize=6 if len(check) > 30 else 8)
    ax.set_xlabel("relative to the observation (%)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(f"In-sample coverage: {int(inside.sum())} of {len(check)} observations inside "
                 "their 90% bands", fontsize=10)
    return fig


@user_text_safe
def width_figure(summary: pd.DataFrame):
    """Per parameter, its 90% interval's width over the prior's (``posterior_summary.csv``)."""
    s = summary.sort_values("width_ratio", ascending=False)
    fig, ax = plt.subplots(figsize=(7.0, 0.25 * len(s) + 1.4), layout="constrained")
    ax.barh(np.arange(len(s)), s["width_ratio"], color=OTHER_COLOURS[2])
    ax.set_yticks(np.arange(len(s)), s["name"], fontsize=7)
    ax.axvline(1.0, color=GREY, lw=0.8)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("90% credible interval width / prior width (1 = the data say nothing)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("What the data pin down", fontsize=10)
    return fig
