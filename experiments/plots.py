"""Figures drawn from stored results only (a trajectories table), never by re-simulating.

Colours follow the Okabe-Ito palette, which stays distinct for colour-blind readers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.figures.style import BLOC_COLOURS, BLOC_LABELS, GREY, plt

LABELS = {k: BLOC_LABELS[k] for k in ("rus", "chn", "usa", "eu")}


def _dates(traj: pd.DataFrame) -> pd.DatetimeIndex:
    return pd.to_datetime(traj.drop_duplicates("turn").sort_values("turn")["date"], format="%Y-%m")


def alignment_over_time(traj: pd.DataFrame, path: Path, title: str) -> Path:
    """Median alignment with each power over time, with a 5-95% band across runs if > 1 run."""
    x = _dates(traj)
    runs = traj["seed"].nunique()
    fig, ax = plt.subplots(figsize=(9, 5), dpi=120)
    for key, label in LABELS.items():
        wide = traj.pivot(index="turn", columns="seed", values=f"align_{key}").to_numpy()
        colour = BLOC_COLOURS[key]
        ax.plot(x, np.median(wide, axis=1), color=colour, lw=2, label=label)
        if runs > 1:
            lo, hi = np.quantile(wide, [0.05, 0.95], axis=1)
            ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)
    band = f"median and 5-95% band over {runs} runs" if runs > 1 else "one run"
    ax.set_title(f"{title}\nKazakhstan's alignment ({band})")
    ax.set_xlabel("month")
    ax.set_ylabel("alignment share (sums to 1 over the four powers)")
    ax.set_ylim(0, max(0.6, float(traj[[f'align_{k}' for k in LABELS]].to_numpy().max()) + 0.05))
    ax.axhline(0.5, color=GREY, ls=":", lw=1)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])  # Russia, China, West


def to_ternary(rus, chn, west) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric (Russia, China, West) shares to x, y in the triangle."""
    xy = np.outer(rus, _CORNERS[0]) + np.outer(chn, _CORNERS[1]) + np.outer(west, _CORNERS[2])
    return xy[:, 0], xy[:, 1]


def _triangle(ax) -> None:
    tri = np.vstack([_CORNERS, _CORNERS[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color="black", lw=1)
    for v in (0.2, 0.4, 0.6, 0.8):
        for i in range(3):
            a, b, c = _CORNERS[i], _CORNERS[(i + 1) % 3], _CORNERS[(i + 2) % 3]
            p, q = a * v + b * (1 - v), a * v + c * (1 - v)
            ax.plot([p[0], q[0]], [p[1], q[1]], color=GREY, lw=0.4, alpha=0.6)
    for i, name in enumerate(("rus", "chn", "west")):
        region = np.array([_CORNERS[i], (_CORNERS[i] + _CORNERS[(i + 1) % 3]) / 2,
                           (_CORNERS[i] + _CORNERS[(i + 2) % 3]) / 2])
        ax.fill(region[:, 0], region[:, 1], color=BLOC_COLOURS[name], alpha=0.08, lw=0)
    ax.text(-0.04, -0.05, "Russia", ha="right", va="top", fontsize=11)
    ax.text(1.04, -0.05, "China", ha="left", va="top", fontsize=11)
    ax.text(0.5, np.sqrt(3) / 2 + 0.04, "West (US + EU)", ha="center", va="bottom", fontsize=11)
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(-0.12, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")


def alignment_ternary(traj: pd.DataFrame, path: Path, title: str) -> Path:
    """Ternary plot of alignment (Russia / China / West): run paths, median path, end points."""
    fig, ax = plt.subplots(figsize=(7, 6.5), dpi=120)
    _triangle(ax)
    west = traj["align_usa"] + traj["align_eu"]
    x, y = to_ternary(traj["align_rus"], traj["align_chn"], west)
    frame = pd.DataFrame({"seed": traj["seed"], "turn": traj["turn"], "x": x, "y": y})
    seeds = frame["seed"].unique()
    for seed in seeds[:200]:
        path_ = frame[frame["seed"] == seed]
        ax.plot(path_["x"], path_["y"], color=GREY, lw=0.5, alpha=0.4)
    med = frame.groupby("turn")[["x", "y"]].median()
    ax.plot(med["x"], med["y"], color="black", lw=2, label="median path")
    last = frame[frame["turn"] == frame["turn"].max()]
    ax.scatter(last["x"], last["y"], s=10, color=BLOC_COLOURS["usa"], alpha=0.6, label="final states", zorder=3)
    ax.scatter(med["x"].iloc[:1], med["y"].iloc[:1], s=60, marker="o", facecolor="white",
               edgecolor="black", zorder=4, label="2021 start")
    ax.set_title(f"{title}\nalignment on the Russia / China / West simplex "
                 "(shaded: a bloc above one half = captured)", fontsize=10)
    ax.legend(loc="upper right", frameon=False, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
