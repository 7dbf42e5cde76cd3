"""PRIM for ``kzsim discover method=prim``, and the posterior draws of one design as inputs.

**PRIM** (Friedman & Fisher 1999, "Bump hunting in high-dimensional data", *Statistics and
Computing* 9: 123-143), as scenario discovery uses it (Bryant & Lempert 2010, *Technological
Forecasting & Social Change* 77: 34-49), through the ``prim`` package (Project Platypus): it
peels the input space a little at a time, each step giving up some coverage (the share of all
target runs inside the box) for density (the share of runs inside that hit the target); the
steps are the *peeling trajectory*. The box chosen is the one of highest coverage whose density
reaches ``threshold``, or the densest if none does; its restrictions with a quasi-p-value of
0.05 or more are dropped (Bryant & Lempert 2010), and, as for the CART boxes, those whose
removal costs under one point of density. The package draws with pyplot, so it lives
here at the edge, not in ``sim``.

**Ensemble draws.** With ``design=<name>`` on a comparison, the inputs are not levers but the
posterior parameter set each of that design's runs drew (``posterior_particle``, looked up in
the posterior the comparison recorded, its particles' SHA-256 checked): *under which parameter
values does this design let the target happen?*
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.discovery import Box, _measure, _simplify
from sim.errors import ConfigError

QP_MAX = 0.05
"""A restriction is kept when its quasi-p-value (the binomial chance that removing it would not
lower the density) is below this (Bryant & Lempert 2010)."""


def prim_boxes(x: pd.DataFrame, y: np.ndarray, threshold: float = 0.8,
               peel_alpha: float = 0.05) -> tuple[list[Box], pd.DataFrame]:
    """The PRIM box and the peeling trajectory (``coverage, density, mass, res dim, chosen``)."""
    import matplotlib

    matplotlib.use("Agg")
    import prim

    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        raise ConfigError(f"the target holds in {y.mean():.0%} of runs; discovery needs runs "
                          "where it holds and runs where it does not")
    finder = prim.Prim(x.reset_index(drop=True), y, threshold=threshold, threshold_type=">",
                       peel_alpha=peel_alpha)
    box = finder.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    dense = trajectory.index[trajectory["density"] >= threshold]
    chosen = (int(trajectory.loc[dense, "coverage"].idxmax()) if len(dense)
              else int(trajectory["density"].idxmax()))
    box.select(chosen)
    table = box.limits
    qp = table["qp values"].astype(float) if "qp values" in table else None
    if qp is not None and (qp < QP_MAX).any():
        table = table[qp < QP_MAX]           # restrictions that are not chance (Bryant & Lempert)
    limits = {str(name): (float(row["min"]), float(row["max"]))
              for name, row in table.iterrows()}
    trajectory = trajectory.assign(chosen=trajectory.index == chosen)
    return [_simplify(_measure(limits, x, y), x, y)] if limits else [], trajectory


def posterior_inputs(res, design: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs of ``design`` in a comparison, and each run's posterior parameter values.

    Raises:
        ConfigError: not a comparison, an unknown design, runs without posterior draws
            (``ensemble=point``), or a posterior that is not the one the comparison used.

    """
    from kzsim.ensemble import posterior_folder
    from sim.inference.posterior_store import load_posterior

    if res.kind != "compare":
        raise ConfigError("design= reads one design's runs of a comparison (kzsim compare); "
                          f"this folder holds a {res.kind}")
    designs = list(dict.fromkeys(res.runs["design"]))
    if design not in designs:
        raise ConfigError(f"design={design} is not in this comparison; valid choices: "
                          f"{', '.join(designs)}")
    record = res.manifest.get("ensemble") or {}
    if record.get("ensemble") != "posterior" or "posterior_particle" not in res.runs:
        raise ConfigError("this comparison ran at the point values (ensemble=point), so its runs "
                          "drew no parameter sets; compare with the posterior ensemble first")
    post = load_posterior(posterior_folder(record["posterior"]))
    if (post.metadata or {}).get("particles", {}).get("sha256") != record.get(
            "particles_sha256"):
        raise ConfigError(f"the posterior '{record['posterior']}' is not the one this comparison "
                          "drew from (its particles changed); run the comparison again")
    runs = res.runs[res.runs["design"] == design].reset_index(drop=True)
    values = np.asarray(post.particles)[runs["posterior_particle"].to_numpy()]
    x = pd.DataFrame(values, columns=list(post.names))
    return runs, x.loc[:, x.nunique() > 1]


__all__ = ["posterior_inputs", "prim_boxes"]
