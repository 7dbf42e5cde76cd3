"""Figures of ``kzsim run``, drawn from stored results only (a trajectories table).

Never by re-simulating. Colours and the simplex come from :mod:`kzsim.figures`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kzsim.figures import simplex
from kzsim.figures.style import (
    BLOC_COLOURS,
    BLOC_LABELS,
    GREY,
    plt,
    settings_note,
    user_text_safe,
    with_note,
)

LABELS = {k: BLOC_LABELS[k] for k in ("rus", "chn", "usa", "eu")}
CONFIG_FILE = "config.yaml"


def _dates(traj: pd.DataFrame) -> pd.DatetimeIndex:
    return pd.to_datetime(traj.drop_duplicates("turn").sort_values("turn")["date"], format="%Y-%m")


def _config_next_to(path: Path, config: dict | None) -> dict | None:
    """Return the given config, else the ``config.yaml`` stored beside the figure (if any)."""
    if config is not None:
        return config
    stored = Path(path).parent / CONFIG_FILE
    if not stored.is_file():
        return None
    try:
        import yaml
        return yaml.safe_load(stored.read_text())
    except Exception:  # noqa: BLE001 - the note is optional
        return None


def _with_west(traj: pd.DataFrame) -> pd.DataFrame:
    if "align_west" in traj:
        return traj
    return traj.assign(align_west=traj["align_usa"] + traj["align_eu"])


def _save(fig, path: Path) -> Path:
    fig.savefig(path)
    plt.close(fig)
    return path


def alignment_over_time(traj: pd.DataFrame, path: Path, title: str,
                        config: dict | None = None) -> Path:
    """Draw :func:`alignment_figure` to ``path``.

    The subtitle names the settings changed from the defaults (``config``, else the
    ``config.yaml`` beside ``path``).
    """
    return _save(alignment_figure(traj, title, _config_next_to(path, config)), path)


def alignment_ternary(traj: pd.DataFrame, path: Path, title: str,
                      config: dict | None = None) -> Path:
    """Draw :func:`ternary_figure` to ``path`` (subtitle as in :func:`alignment_over_time`)."""
    return _save(ternary_figure(traj, title, _config_next_to(path, config)), path)


@user_text_safe
def alignment_figure(traj: pd.DataFrame, title: str, config: dict | None = None):
    """Median alignment with Russia, China and the West (US + EU) over time.

    With a 5-95% band across runs if > 1 run; the US and EU parts of the West as thin dashed
    lines.
    """
    traj = _with_west(traj)
    x = _dates(traj)
    runs = traj["seed"].nunique()
    fig, ax = plt.subplots(figsize=(10.5, 5.2), dpi=120, layout="constrained")
    top = 0.0
    for key in ("rus", "chn", "west", "usa", "eu"):
        wide = traj.pivot(index="turn", columns="seed", values=f"align_{key}").to_numpy()
        colour = BLOC_COLOURS[key]
        part = key in ("usa", "eu")
        label = BLOC_LABELS[key] + (" (part of the West)" if part else "")
        ax.plot(x, np.median(wide, axis=1), color=colour, lw=1.2 if part else 2.2,
                ls="--" if part else "-", label=label)
        if runs > 1 and not part:
            lo, hi = np.quantile(wide, [0.05, 0.95], axis=1)
            ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)
        top = max(top, float(wide.max()))
    band = f"median and 5-95% band over {runs} runs" if runs > 1 else "one run"
    ax.axhline(0.5, color=GREY, ls=":", lw=1, label="capture threshold (one half)")
    head = f"{title}\nKazakhstan's alignment ({band}; Russia + China + West = 1)"
    ax.set_title(with_note(head, settings_note(config)), fontsize=10)
    ax.set_xlabel("month")
    ax.set_ylabel("alignment share")
    ax.set_ylim(0, max(0.6, top + 0.05))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    return fig


@user_text_safe
def ternary_figure(traj: pd.DataFrame, title: str, config: dict | None = None):
    """Alignment on the Russia / China / West simplex: run paths, median path, end points.

    The whole triangle with tick values and a labelled close-up of where the runs go.
    """
    traj = _with_west(traj)
    x, y = simplex.to_xy(traj["align_rus"], traj["align_chn"], traj["align_west"])
    frame = pd.DataFrame({"seed": traj["seed"].to_numpy(), "turn": traj["turn"].to_numpy(),
                          "x": x, "y": y})
    med = frame.groupby("turn")[["x", "y"]].median()
    last = frame[frame["turn"] == frame["turn"].max()]
    window = simplex.zoom_window(frame["x"], frame["y"])
    fig, (whole, close) = plt.subplots(1, 2, figsize=(13, 6.4), dpi=110, layout="constrained",
                                       gridspec_kw={"width_ratios": [1.15, 1]})
    simplex.draw_simplex(whole)
    simplex.mark_window(whole, window)
    step = simplex.draw_zoom(close, window)
    for ax in (whole, close):
        for seed in frame["seed"].unique()[:200]:
            one = frame[frame["seed"] == seed]
            ax.plot(one["x"], one["y"], color=GREY, lw=0.5, alpha=0.4)
        ax.plot(med["x"], med["y"], color="black", lw=2, label="median path")
        ax.scatter(last["x"], last["y"], s=9, color="black", alpha=0.5, lw=0, label="final states",
                   zorder=3)
        ax.scatter(med["x"].iloc[:1], med["y"].iloc[:1], s=60, marker="o", facecolor="white",
                   edgecolor="black", zorder=4, label="2021 start")
    close.set_title(simplex.zoom_title(step), fontsize=9, pad=40)
    close.legend(loc="best", fontsize=8, framealpha=0.9)
    head = (f"{title}\nalignment on the Russia / China / West simplex "
            "(shaded: a bloc above one half = captured)")
    fig.suptitle(with_note(head, settings_note(config)), fontsize=10)
    return fig
