"""Figures over swept levers.

Outcome heatmaps with the capture boundary, every pair of levers at once, capture probability
against one lever.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from matplotlib import patheffects

from kzsim.figures.designs import results_note
from kzsim.figures.style import BLOC_COLOURS, BLOC_LABELS, plt, user_text_safe, with_note
from sim.analysis.stats import proportion_interval
from sim.results import Results
from sim.sweep.settings import lever_field, lever_path

OUTCOME_LABELS = {
    "final_align_west": "final alignment with the West (share)",
    "final_align_rus": "final alignment with Russia (share)",
    "final_align_chn": "final alignment with China (share)",
    "welfare_loss_pct_gdp": "Kazakh welfare loss (% of GDP)",
    "mean_pressure_on_russia": "pressure on Russia (share of its 2021 trade)",
    "mean_pressure_on_russia_usd_bn": "pressure on Russia (USD bn/yr)",
    "welfare_loss_usd_bn": "Kazakh welfare loss (USD bn/yr)",
    "final_balance_index": "final balance index (1 = even)",
    "mean_evasion_usd_bn": "re-exports to Russia (USD bn/yr)",
}
CAPTURE_LEVEL = 0.5
_BOUNDARIES = (("east", "-", "Russia or China"), ("west", "--", "the West"))
_HALO = [patheffects.withStroke(linewidth=4.5, foreground="black")]


def lever_label(name: str) -> str:
    """'sanctions__secondary_enforcement' -> 'secondary enforcement (design, 0-1)'."""
    root, *rest = lever_path(name)
    field = rest[-1].replace("_", " ")
    return f"{field} ({'design' if root == 'sanctions' else 'parameter ' + '.'.join(rest[:-1])})"


def _short(name: str) -> str:
    return lever_field(name).replace("_", " ")


def _column(res: Results, lever: str) -> str:
    """The runs column of a lever named either way (sanctions.intensity or sanctions__intensity)."""
    if lever in res.runs.columns:
        return lever
    return next((c for c in res.runs.columns if lever_path(c) == lever_path(lever)), lever)


def _levels(values: pd.Series, bins: int = 8) -> pd.Series:
    """Discrete levels as they are; continuous samples binned to bin midpoints."""
    if values.nunique() <= 12:
        return values
    edges = np.linspace(values.min(), values.max(), bins + 1)
    mids = (edges[:-1] + edges[1:]) / 2
    which = np.clip(np.digitize(values, edges[1:-1]), 0, bins - 1)
    return pd.Series(mids[which], index=values.index)


def _grid(runs: pd.DataFrame, x: str, y: str, outcome: str, bins: int = 8):
    """Levels of x and y, and per cell the mean outcome and the shares captured (east, west)."""
    frame = pd.DataFrame({"x": _levels(runs[x], bins), "y": _levels(runs[y], bins),
                          "v": runs[outcome].astype(float),
                          "east": (runs["final_captured_rus"]
                                   | runs["final_captured_chn"]).astype(float),
                          "west": runs["final_captured_west"].astype(float)})
    grid = frame.groupby(["y", "x"]).mean().reset_index()
    xs, ys = np.sort(grid["x"].unique()), np.sort(grid["y"].unique())
    table = {k: grid.pivot(index="y", columns="x", values=k).reindex(index=ys, columns=xs)
             .to_numpy() for k in ("v", "east", "west")}
    return xs, ys, table


def _boundaries(ax, xs, ys, table, which=("east", "west")) -> tuple[list, list]:
    """Draw contours where the share of runs ending captured crosses CAPTURE_LEVEL.

    Returns legend entries for each (saying so when the share never crosses it in range).
    """
    handles, labels = [], []
    for key, ls, text in _BOUNDARIES:
        if key not in which:
            continue
        p = np.ma.masked_invalid(table[key])
        crosses = len(xs) > 1 and len(ys) > 1 and p.count() and p.min() < CAPTURE_LEVEL < p.max()
        if crosses:
            cs = ax.contour(xs, ys, p, levels=[CAPTURE_LEVEL], colors="white", linestyles=ls,
                            linewidths=2)
            cs.set_path_effects(_HALO)
            handles.append(plt.Line2D([], [], color="white", ls=ls, lw=2, path_effects=_HALO))
            labels.append(f"{CAPTURE_LEVEL:.0%} of runs end captured by {text}")
        else:
            top = float(p.max()) if p.count() else 0.0
            handles.append(plt.Line2D([], [], color="none"))
            word = "reaches" if top >= CAPTURE_LEVEL else "below"
            labels.append(f"no {CAPTURE_LEVEL:.0%} boundary for capture by {text} "
                          f"({'everywhere' if word == 'reaches' else 'at most'} {top:.0%})")
    return handles, labels


@user_text_safe
def heatmap(res: Results, x: str, y: str, outcome: str):
    """Mean of ``outcome`` over replications (and other levers) on a grid of two levers.

    With the capture boundaries: where half the runs end captured by Russia or China (solid)
    and by the West (dashed), each in the legend.
    """
    x, y = _column(res, x), _column(res, y)
    xs, ys, table = _grid(res.runs, x, y, outcome)
    fig, ax = plt.subplots(figsize=(7.0, 6.4), layout="constrained")
    mesh = ax.pcolormesh(xs, ys, table["v"], shading="nearest", cmap="cividis")
    fig.colorbar(mesh, ax=ax, label=OUTCOME_LABELS.get(outcome, outcome))
    handles, labels = _boundaries(ax, xs, ys, table)
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1,
              fontsize=8, frameon=False)
    ax.set_xlabel(lever_label(x))
    ax.set_ylabel(lever_label(y))
    others = [c for c in res.manifest["levers"] if c not in (x, y)]
    sub = "mean over replications" + (f" and over {', '.join(_short(o) for o in others)}"
                                      if others else "")
    ax.set_title(with_note(f"{OUTCOME_LABELS.get(outcome, outcome)}\n({sub})", results_note(res)),
                 fontsize=9)
    return fig


@user_text_safe
def lever_pairs(res: Results, outcome: str = "final_align_west", levers=None):
    """Every pair of levers at once, for sweeps with more than two levers.

    The mean of ``outcome`` on each pair (pooled over the other levers), one colour scale, and
    the boundary where half the runs end captured by Russia or China.
    """
    levers = [_column(res, lv) for lv in (levers if levers is not None else res.manifest["levers"])]
    if len(levers) < 2:
        raise ValueError("lever_pairs needs at least two levers")
    n = len(levers) - 1
    points = res.runs["point_id"].nunique()
    bins = int(np.clip(np.sqrt(points / 10), 3, 8))  # about ten points per cell or more
    grids = {(i, j): _grid(res.runs, levers[j], levers[i], outcome, bins)  # lever j across, i up
             for j, i in itertools.combinations(range(len(levers)), 2)}
    values = np.concatenate([g[2]["v"].ravel() for g in grids.values()])
    vmin, vmax = np.nanmin(values), np.nanmax(values)
    size = 3.2 if n <= 3 else 2.5 if n <= 5 else 2.1
    fig, axes = plt.subplots(n, n, figsize=(size * n + 1.6, size * n + 1.4), squeeze=False,
                             layout="constrained")
    mesh = None
    drawn = []
    for row in range(n):
        for col in range(n):
            ax = axes[row, col]
            i, j = row + 1, col
            if j >= i:
                ax.set_visible(False)
                continue
            xs, ys, table = grids[(i, j)]
            mesh = ax.pcolormesh(xs, ys, table["v"], shading="nearest", cmap="cividis",
                                 vmin=vmin, vmax=vmax)
            handles, labels = _boundaries(ax, xs, ys, table, which=("east",))
            drawn.append(not labels[0].startswith("no "))
            ax.tick_params(labelsize=7)
            if row == n - 1:
                ax.set_xlabel(_short(levers[j]), fontsize=9)
            else:
                ax.tick_params(labelbottom=False)
            if col == 0:
                ax.set_ylabel(_short(levers[i]), fontsize=9)
            else:
                ax.tick_params(labelleft=False)
    fig.colorbar(mesh, ax=axes[:, -1] if n > 1 else axes[0, 0], shrink=0.8,
                 label=OUTCOME_LABELS.get(outcome, outcome))
    text = (f"{CAPTURE_LEVEL:.0%} of runs end captured by Russia or China (drawn in "
            f"{sum(drawn)} of {len(drawn)} panels; elsewhere the share stays on one side)")
    fig.legend([plt.Line2D([], [], color="white", lw=2, path_effects=_HALO)], [text],
               loc="outside lower center", fontsize=8, frameon=False)
    fig.suptitle(with_note(f"{OUTCOME_LABELS.get(outcome, outcome)} on every pair of the "
                           f"{len(levers)} levers (mean over replications and the other levers)",
                           results_note(res)), fontsize=10)
    return fig


@user_text_safe
def capture_probability(res: Results, lever: str):
    """Share of runs ending captured by Russia, China or the West, against one lever (95% CI)."""
    runs = res.runs
    lever = _column(res, lever)
    level = _levels(runs[lever])
    xs = np.sort(level.unique())
    fig, ax = plt.subplots(figsize=(7.2, 4.6), layout="constrained")
    looks = {"rus": dict(marker="s", ms=9, mfc="white", mew=1.8, ls="--", zorder=2),
             "chn": dict(marker="o", ms=5, ls="-", zorder=3),
             "west": dict(marker="^", ms=5, ls="-", zorder=4)}
    for bloc in ("rus", "chn", "west"):
        col = runs[f"final_captured_{bloc}"]
        stats = [proportion_interval(col[level == v].to_numpy()) for v in xs]
        est = np.array([s.estimate for s in stats])
        lo = np.array([s.low for s in stats])
        hi = np.array([s.high for s in stats])
        ax.plot(xs, est, color=BLOC_COLOURS[bloc], label=BLOC_LABELS[bloc], **looks[bloc])
        ax.fill_between(xs, lo, hi, color=BLOC_COLOURS[bloc], alpha=0.2, lw=0)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel(lever_label(lever))
    ax.set_ylabel("share of runs captured at the end\n(bloc above one half)")
    ax.set_title(with_note("Capture probability against " + lever_label(lever).split(" (")[0]
                           + " (pooled over the other levers; bands: 95% Wilson intervals)",
                           results_note(res)), fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return fig
