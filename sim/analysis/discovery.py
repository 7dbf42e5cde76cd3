"""Scenario discovery: the few lever ranges that make a target condition likely.

A shallow CART tree (scikit-learn) splits the lever space; every leaf where the target is
more frequent than overall becomes a box (the lever ranges on its path), with its coverage
(share of all target runs inside the box) and density (share of runs inside that hit the
target) — the two numbers PRIM-style discovery reports (Bryant & Lempert 2010). Restrictions
whose removal costs under one point of density are dropped, so boxes name only levers that
matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier, export_text

from sim.errors import ConfigError

PRESETS = {
    "captured_east": "final_captured_rus | final_captured_chn",
    "captured_rus": "final_captured_rus",
    "captured_chn": "final_captured_chn",
    "captured_west": "final_captured_west",
    "high_welfare_loss": "welfare_loss_pct_gdp > 1.0",
    "west_below_third": "final_align_west < 1/3",
}


@dataclass
class Box:
    """Lever ranges (low, high per lever it restricts) and how well they capture the target."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    n: int


def target_mask(runs: pd.DataFrame, target: str) -> np.ndarray:
    """Evaluate a target condition (a preset name or an expression over run columns)."""
    expr = PRESETS.get(target, target)
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9.]*", expr)) - {"and", "or", "not"}
    unknown = sorted(n for n in names if n not in runs.columns)
    if unknown:
        raise ConfigError(f"target '{target}' names unknown column(s) {unknown}; use a preset "
                          f"({', '.join(PRESETS)}) or an expression over: "
                          f"{', '.join(c for c in runs.columns if not c.startswith('first_'))}")
    try:
        mask = runs.eval(expr, engine="python")
    except Exception as err:  # pandas raises many types for bad expressions
        raise ConfigError(f"cannot evaluate target '{target}': {err}") from None
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise ConfigError(f"target '{target}' must be a condition (true or false per run)")
    return mask


def discover(x: pd.DataFrame, y: np.ndarray, max_depth: int = 3, min_leaf: float = 0.02,
             seed: int = 0) -> tuple[list[Box], str]:
    """Boxes of lever space where the target is likelier than overall, best first."""
    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        raise ConfigError(f"the target holds in {y.mean():.0%} of runs; discovery needs runs "
                          "where it holds and runs where it does not")
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=max(1, int(min_leaf * len(y))),
                                  random_state=seed)
    tree.fit(x.to_numpy(), y)
    t = tree.tree_
    base = y.mean()
    total = y.sum()
    boxes = []

    def walk(node: int, limits: dict) -> None:
        if t.children_left[node] == -1:
            inside = tree.apply(x.to_numpy()) == node
            density = y[inside].mean()
            if density > base:
                boxes.append(Box(dict(limits), float(y[inside].sum() / total), float(density),
                                 int(inside.sum())))
            return
        name, thr = x.columns[t.feature[node]], float(t.threshold[node])
        lo, hi = limits.get(name, (float(x[name].min()), float(x[name].max())))
        walk(t.children_left[node], {**limits, name: (lo, min(hi, thr))})
        walk(t.children_right[node], {**limits, name: (max(lo, thr), hi)})

    walk(0, {})
    unique: dict = {}
    for b in (_simplify(b, x, y) for b in boxes):
        unique.setdefault(tuple(sorted((k, round(lo, 9), round(hi, 9))
                                       for k, (lo, hi) in b.limits.items())), b)
    boxes = list(unique.values())
    boxes.sort(key=lambda b: (b.density * b.coverage), reverse=True)
    return boxes, export_text(tree, feature_names=list(x.columns))


def _measure(limits: dict, x: pd.DataFrame, y: np.ndarray) -> Box:
    inside = np.ones(len(y), dtype=bool)
    for name, (lo, hi) in limits.items():
        inside &= (x[name].to_numpy() >= lo) & (x[name].to_numpy() <= hi)
    n = int(inside.sum())
    return Box(dict(limits), float(y[inside].sum() / y.sum()), float(y[inside].mean()) if n else 0.0, n)


def _simplify(box: Box, x: pd.DataFrame, y: np.ndarray, tolerance: float = 0.01) -> Box:
    """Drop restrictions that cost less than ``tolerance`` of density (they only fit noise)."""
    current = _measure(box.limits, x, y)
    while len(current.limits) > 1:
        trials = [_measure({k: v for k, v in current.limits.items() if k != drop}, x, y)
                  for drop in current.limits]
        best = max(trials, key=lambda b: b.density)
        if best.density < current.density - tolerance:
            break
        current = best
    return current


def boxes_table(boxes: list[Box]) -> pd.DataFrame:
    """One row per (box, restricted lever)."""
    rows = [{"box": i + 1, "lever": lever, "low": lo, "high": hi, "coverage": b.coverage,
             "density": b.density, "runs": b.n}
            for i, b in enumerate(boxes) for lever, (lo, hi) in b.limits.items()]
    return pd.DataFrame(rows)
