"""Sensitivity figures: Sobol first-order and total indices, Morris mu* (tornado bars)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kzsim.figures.levers import OUTCOME_LABELS
from kzsim.figures.style import plt, user_text_safe, with_note

TOTAL, FIRST, SIGMA = "#332288", "#999933", "#882255"  # not the colours of the powers


def _short(name: str) -> str:
    return name.split(".", 1)[1] if "." in name else name


def _panels(table: pd.DataFrame):
    """One panel per outcome, tall enough for one bar row per input; unused panels hidden."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    ncols = min(2, len(outcomes))
    nrows = math.ceil(len(outcomes) / ncols)
    n_par = table["parameter"].nunique()
    fig, axes = plt.subplots(nrows, ncols, figsize=(7 * ncols, 0.33 * n_par * nrows + 1.5 * nrows),
                             squeeze=False, layout="constrained")
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    return fig, axes, outcomes


@user_text_safe
def sobol_figure(sobol: pd.DataFrame, note: str = ""):
    """Per outcome: S1 and ST per input with 95% confidence bars, sorted by ST."""
    fig, axes, outcomes = _panels(sobol)
    for ax, o in zip(axes.flat, outcomes, strict=False):
        d = sobol[sobol.outcome == o].sort_values("ST")
        y = np.arange(len(d))
        ax.barh(y + 0.2, d["ST"], 0.4, xerr=d["ST_conf"], color=TOTAL, label="total (ST)",
                capsize=2)
        ax.barh(y - 0.2, d["S1"], 0.4, xerr=d["S1_conf"], color=FIRST, label="first order (S1)",
                capsize=2)
        ax.set_yticks(y, [_short(p) for p in d["parameter"]], fontsize=8)
        ax.set_title(OUTCOME_LABELS.get(o, o), fontsize=9)
        ax.set_xlabel("Sobol index (share of output variance)")
        ax.axvline(0, color="black", lw=0.5)
        ax.grid(alpha=0.3, axis="x")
    axes.flat[0].legend(fontsize=8, loc="lower right")
    fig.suptitle(with_note("Sobol sensitivity indices with 95% bootstrap intervals", note),
                 fontsize=10)
    return fig


@user_text_safe
def morris_figure(morris: pd.DataFrame, note: str = ""):
    """Per outcome: Morris mu* (mean absolute elementary effect) with 95% bars, as a tornado."""
    fig, axes, outcomes = _panels(morris)
    for ax, o in zip(axes.flat, outcomes, strict=False):
        d = morris[morris.outcome == o].sort_values("mu_star")
        y = np.arange(len(d))
        ax.barh(y, d["mu_star"], xerr=d["mu_star_conf"], color=TOTAL, capsize=2)
        ax.scatter(d["sigma"], y, color=SIGMA, marker="|", s=120, lw=2,
                   label="sigma (interactions)")
        ax.set_yticks(y, [_short(p) for p in d["parameter"]], fontsize=8)
        ax.set_title(OUTCOME_LABELS.get(o, o), fontsize=9)
        ax.set_xlabel("Morris mu* (mean |elementary effect|, outcome units)")
        ax.grid(alpha=0.3, axis="x")
    axes.flat[0].legend(fontsize=8, loc="lower right")
    fig.suptitle(with_note("Morris screening: mu* with 95% intervals (bars) and sigma (ticks)",
                           note), fontsize=10)
    return fig
