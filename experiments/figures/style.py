"""Shared look of every figure: one colour per power, design styles, safe user text, saving.

Powers keep one colour everywhere (``BLOC_COLOURS``, Okabe-Ito, colour-blind safe): Russia
vermillion, China orange, the West (US + EU) bluish green, the US blue, the EU sky blue.
Designs, mechanisms and other categories use ``OTHER_COLOURS``, which avoids those hues, and
designs also differ by marker and line style.
"""

from __future__ import annotations

import functools
import io
import textwrap
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

BLOC_COLOURS = {"rus": "#D55E00", "chn": "#E69F00", "west": "#009E73", "usa": "#0072B2",
                "eu": "#56B4E9"}
BLOC_LABELS = {"rus": "Russia", "chn": "China", "west": "West (US + EU)", "usa": "United States",
               "eu": "European Union"}
ACTOR_BLOCS = {"RUS": "rus", "CHN": "chn", "USA": "usa", "EU": "eu"}
KAZ_COLOUR = "#AA4499"
GREY = "#999999"
# Not the hue of any power (Paul Tol's muted/dark colours): black, indigo, olive, wine, grey,
# purple, brown; for designs, mechanisms, model lines, bars.
OTHER_COLOURS = ("#000000", "#332288", "#999933", "#882255", "#777777", "#AA4499", "#8C6D31")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINESTYLES = ("-", "--", "-.", ":")


def design_style(i: int) -> dict:
    """Colour, marker and line style of the i-th design; never a power's colour."""
    return {"color": OTHER_COLOURS[i % len(OTHER_COLOURS)], "marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def user_text_safe(func):
    """Draw ``func``'s figure with math text off, so ``$`` in user names is shown as typed.

    Text objects remember the setting from their creation, so names given by users (designs,
    targets, overrides) never reach matplotlib's mathtext parser; numeric tick labels drawn
    later are unaffected.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with plt.rc_context({"text.parse_math": False}):
            return func(*args, **kwargs)
    return wrapper


def wrap(text: str, width: int = 48) -> str:
    """Break a long label over lines at ', ' or spaces."""
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False,
                                   break_on_hyphens=False)) or str(text)


def month_axis(turns, start: str) -> pd.DatetimeIndex:
    """Dates of turns (turn 0 is the month before ``start``)."""
    first = pd.Period(start, freq="M") - 1
    return pd.PeriodIndex([first + int(t) for t in turns]).to_timestamp()


def png_bytes(fig) -> bytes:
    """Return the figure as PNG bytes and close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


# --- which settings differ from the defaults -------------------------------------------------

_IGNORED = ("name", "out", "quiet", "runs")
_IGNORED_EDGE = ("workers", "chunk_size", "fresh", "shard", "shards", "bands", "band_every",
                 "grid", "ranges", "designs", "uncertainty")


def _flat(mapping: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in mapping.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


@functools.lru_cache(maxsize=16)
def _defaults(design: str | None) -> dict[str, Any]:
    from kzsim.configuration import compose_mapping
    return _flat(compose_mapping([f"sanctions={design}"] if design else []))


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_show(v) for v in value) + "]"
    return str(value)


def changed_settings(config: dict | None, edge: dict | None = None,
                     edge_name: str = "") -> list[str]:
    """``key=value`` for each field of a stored config that differs from the defaults.

    ``config`` is the model's resolved config as stored with results; ``edge`` the command's own
    settings (``manifest['sweep']`` or ``manifest['compare']``). A named design other than the
    default is shown as ``sanctions=<name>`` and its fields are compared with that design.
    Output paths, names, worker counts and swept levers (shown on the axes) are left out.
    """
    if not config:
        return []
    try:
        stored = _flat(config)
        base = _defaults(None)
        shown: list[str] = []
        design = stored.get("sanctions.name")
        if design is not None and design != base.get("sanctions.name"):
            try:
                base = _defaults(str(design))
            except Exception:  # noqa: BLE001 - a custom design is compared with the default
                pass
            shown.append(f"sanctions={design}")
        for key, value in stored.items():
            if (key in base and base[key] != value and key.split(".")[0] not in _IGNORED
                    and key != "sanctions.name" and not key.endswith((".source", ".sources"))):
                shown.append(f"{key}={_show(value)}")
        if edge and edge_name:
            for key, value in _flat(edge).items():
                full = f"{edge_name}.{key}"
                if (key.split(".")[0] not in _IGNORED_EDGE and full in base
                        and base[full] != value):
                    shown.append(f"{full}={_show(value)}")
        return shown
    except Exception:  # noqa: BLE001 - a note in a title must never stop a figure
        return []


def settings_note(config: dict | None, edge: dict | None = None, edge_name: str = "",
                  limit: int = 4) -> str:
    """Say 'changed from the defaults: a=1, b=2 (+3 more)', or '' when nothing was changed."""
    shown = changed_settings(config, edge, edge_name)
    if not shown:
        return ""
    more = f" (+{len(shown) - limit} more)" if len(shown) > limit else ""
    return "changed from the defaults: " + ", ".join(shown[:limit]) + more


def with_note(title: str, note: str) -> str:
    """Return the title with the settings note as its last line (if any)."""
    return f"{title}\n{wrap(note, 110)}" if note else title


# --- labels that do not overprint -----------------------------------------------------------

def place_labels(ax, xs, ys, texts, fontsize: float = 8, colors=None) -> list:
    """Label points without overprinting.

    Each label takes the nearest free spot around its point (growing rings of candidate
    offsets), with a thin leader line when pushed away.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    taken = []
    pts = ax.transData.transform(np.column_stack([xs, ys]))
    for p in pts:  # the markers themselves are obstacles
        taken.append((p[0] - 6, p[1] - 6, p[0] + 6, p[1] + 6))
    out = []
    angles = np.deg2rad([45, 135, -45, -135, 0, 180, 90, -90, 22, 158, -22, -158, 68, 112,
                         -68, -112])
    for (px, py), text, i in zip(pts, texts, range(len(texts)), strict=False):
        colour = colors[i] if colors is not None else "black"
        probe = fig.text(0, 0, text, fontsize=fontsize, fontweight="bold")
        bb = probe.get_window_extent(renderer)
        probe.remove()
        w, h = bb.width, bb.height
        best = None
        for radius in (9, 15, 22, 30, 40, 52, 66, 82):
            for a in angles:
                cx, cy = px + radius * np.cos(a), py + radius * np.sin(a)
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if not any(box[0] < t[2] and box[2] > t[0] and box[1] < t[3] and box[3] > t[1]
                           for t in taken):
                    best = (radius, cx - px, cy - py, box)
                    break
            if best:
                break
        if best is None:
            best = (9, 9.0, 9.0, (px, py, px + w, py + h))
        radius, dx, dy, box = best
        taken.append(box)
        dpi_scale = 72 / fig.dpi
        ann = ax.annotate(text, (xs[i], ys[i]), xytext=(dx * dpi_scale, dy * dpi_scale),
                          textcoords="offset points", ha="center", va="center", fontsize=fontsize,
                          color=colour, fontweight="bold",
                          arrowprops=(dict(arrowstyle="-", color=GREY, lw=0.6, shrinkA=0, shrinkB=4)
                                      if radius > 15 else None))
        out.append(ann)
    return out
