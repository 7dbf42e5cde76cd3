"""Figures over swept levers: outcome heatmaps with the capture boundary; capture probability."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.figures.style import BLOC_COLOURS, BLOC_LABELS, plt
from sim.analysis.stats import proportion_interval
from sim.results import Results

OUTCOME_LABELS = {
    "final_align_west": "final alignment with the West (share)",
    "final_align_rus": "final alignment with Russia (share)",
    "final_align_chn": "final alignment with China (share)",
    "welfare_loss_pct_gdp": "Kazakh welfare loss (% of GDP)",
    "mean_pressure_on_russia": "pressure on Russia (mean, 0-1)",
    "final_balance_index": "final balance index (1 = even)",
    "mean_evasion_usd_bn": "re-exports to Russia (USD bn/yr)",
}


def lever_label(name: str) -> str:
    """'sanctions.secondary_enforcement' -> 'secondary enforcement (design, 0-1)'."""
    root, *rest = name.split(".")
    field = rest[-1].replace("_", " ")
    return f"{field} ({'design' if root == 'sanctions' else 'parameter ' + '.'.join(rest[:-1])})"


def _levels(values: pd.Series, bins: int = 8) -> pd.Series:
    """Discrete levels as they are; continuous samples binned to bin midpoints."""
    if values.nunique() <= 12:
        return values
    edges = np.linspace(values.min(), values.max(), bins + 1)
    mids = (edges[:-1] + edges[1:]) / 2
    return pd.Series(mids[np.clip(np.digitize(values, edges[1:-1]), 0, bins - 1)], index=values.index)


def heatmap(res: Results, x: str, y: str, outcome: str):
    """Mean of ``outcome`` over replications (and other levers) on a grid of two levers.

    Draws the capture boundary: where half the runs end captured by Russia or China (solid)
    and by the West (dashed).
    """
    runs = res.runs
    frame = pd.DataFrame({"x": _levels(runs[x]), "y": _levels(runs[y]), "v": runs[outcome],
                          "east": runs["final_captured_rus"] | runs["final_captured_chn"],
                          "west": runs["final_captured_west"]})
    grid = frame.groupby(["y", "x"]).mean().reset_index()
    xs, ys = np.sort(grid["x"].unique()), np.sort(grid["y"].unique())
    table = {k: grid.pivot(index="y", columns="x", values=k).reindex(index=ys, columns=xs).to_numpy()
             for k in ("v", "east", "west")}
    fig, ax = plt.subplots(figsize=(6.8, 5.4))
    mesh = ax.pcolormesh(xs, ys, table["v"], shading="nearest", cmap="cividis")
    fig.colorbar(mesh, ax=ax, label=OUTCOME_LABELS.get(outcome, outcome))
    notes = []
    for key, ls, text in (("east", "-", "captured by Russia or China"),
                          ("west", "--", "captured by the West")):
        p = table[key]
        if len(xs) > 1 and len(ys) > 1 and np.nanmin(p) < 0.5 < np.nanmax(p):
            cs = ax.contour(xs, ys, p, levels=[0.5], colors="white", linestyles=ls, linewidths=2)
            ax.clabel(cs, fmt={0.5: f"50% {text}"}, fontsize=7)
        else:
            notes.append(f"{text}: {np.nanmax(p):.0%} of runs at most")
    ax.set_xlabel(lever_label(x))
    ax.set_ylabel(lever_label(y))
    others = [c for c in res.manifest["levers"] if c not in (x, y)]
    sub = "mean over replications" + (f" and over {', '.join(o.split('.')[-1] for o in others)}"
                                      if others else "")
    boundary = ("white lines: 50% capture boundary" if not notes else
                "no 50% capture boundary in range: " + "; ".join(notes))
    ax.set_title(f"{OUTCOME_LABELS.get(outcome, outcome)}\n({sub})\n{boundary}", fontsize=9)
    fig.tight_layout()
    return fig


def capture_probability(res: Results, lever: str):
    """Share of runs ending captured by Russia, China or the West, against one lever (95% CI)."""
    runs = res.runs
    level = _levels(runs[lever])
    fig, ax = plt.subplots(figsize=(6.8, 4.2))
    for bloc in ("rus", "chn", "west"):
        col = runs[f"final_captured_{bloc}"]
        stats = [proportion_interval(col[level == v].to_numpy()) for v in np.sort(level.unique())]
        xs = np.sort(level.unique())
        est = np.array([s.estimate for s in stats])
        lo = np.array([s.low for s in stats])
        hi = np.array([s.high for s in stats])
        ax.plot(xs, est, marker="o", color=BLOC_COLOURS[bloc], label=BLOC_LABELS[bloc])
        ax.fill_between(xs, lo, hi, color=BLOC_COLOURS[bloc], alpha=0.2, lw=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(lever_label(lever))
    ax.set_ylabel("share of runs captured at the end\n(bloc above one half)")
    ax.set_title("Capture probability against " + lever_label(lever).split(" (")[0]
                 + " (pooled over the other levers; bands: 95% Wilson intervals)", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig
