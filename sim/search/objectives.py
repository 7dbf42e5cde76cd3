"""What a design search optimises: objectives over runs, made robust across replications.

Every candidate design is run on the same paired replications: replication ``r`` has the same
seed, and so the same posterior parameter set (:mod:`sim.inference.ensemble`), under every
design. An objective is one outcome per run; a **robustness measure** reduces a design's
replications to one number:

- ``mean``: the mean over replications (a share of runs for ``capture``);
- ``percentile``: the ``percentile``-th worst replication (10: the 10th percentile of an
  outcome to maximise, the 90th of one to minimise), a satisficing measure (Lempert, Popper &
  Bankes 2003, *Shaping the Next One Hundred Years*, RAND MR-1626);
- ``regret``: the mean over replications of how far the design falls short of the best of the
  reference designs in that same replication (Savage's regret, as in Robust Decision Making and
  Kasprzyk, Nataraj, Reed & Lempert 2013, *Environmental Modelling & Software* 42: 55-71). The
  reference designs are fixed before the search (the named designs), so a candidate's regret
  does not change as the search goes on.

All measures are returned *to minimise* (maximised objectives negated), as the optimiser wants,
and :func:`natural` turns them back into the outcome's units for tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.errors import ConfigError


@dataclass(frozen=True)
class Objective:
    """An outcome the search optimises: per-run values, a direction and a label."""

    name: str
    column: str          # runs column (for capture: the two columns' or)
    maximise: bool
    label: str
    possible: tuple[float, float]   # the values a robust measure of it can take

    def per_run(self, runs: pd.DataFrame) -> np.ndarray:
        """One value per run."""
        if self.name == "capture":
            return (runs["final_captured_rus"].to_numpy(bool)
                    | runs["final_captured_chn"].to_numpy(bool)).astype(float)
        return runs[self.column].to_numpy(float)


OBJECTIVES = {o.name: o for o in (
    Objective("pressure", "mean_pressure_on_russia", True,
              "pressure on Russia (share of its 2021 trade, mean)", (0.0, 1.0)),
    Objective("welfare_loss", "welfare_loss_pct_gdp", False, "Kazakh welfare loss (% of GDP)",
              (-100.0, 100.0)),
    Objective("capture", "final_captured_rus|final_captured_chn", False,
              "captured by Russia or China at the end (share of runs)", (0.0, 1.0)),
    Objective("west", "final_align_west", True, "alignment with the West (final share)",
              (0.0, 1.0)),
    Objective("balance", "final_balance_index", True, "balance index (final, 1 = even)",
              (0.0, 1.0)),
    Objective("west_cost", "mean_west_outlay_usd_bn", False,
              "what the West pays: compensation and engagement (USD bn/yr, mean)",
              (0.0, 1000.0)),
)}
"""The objectives a search may use, by name."""
ROBUSTNESS = ("mean", "percentile", "regret")
"""The robustness measures (module docstring)."""


def objectives_named(names) -> list[Objective]:
    """The objectives of ``names``; an unknown name lists the valid ones."""
    out = []
    for name in names:
        if name not in OBJECTIVES:
            raise ConfigError(f"unknown objective {name!r} in optimize.objectives; valid "
                              f"choices: {', '.join(OBJECTIVES)}")
        out.append(OBJECTIVES[name])
    if len(set(names)) != len(names) or not names:
        raise ConfigError("optimize.objectives must name at least one objective, each once; "
                          f"valid choices: {', '.join(OBJECTIVES)}")
    return out


def by_replication(objective: Objective, runs: pd.DataFrame, designs: int,
                   replications: int) -> np.ndarray:
    """(designs, replications) values, to minimise (maximised outcomes negated).

    ``runs`` are design-major: run ``d * R + r`` is replication ``r`` of design ``d``.
    """
    values = objective.per_run(runs).reshape(designs, replications)
    return -values if objective.maximise else values


def robust(values: np.ndarray, measure: str, percentile: float = 10.0,
           reference: np.ndarray | None = None) -> np.ndarray:
    """One number per design (to minimise) from ``values`` (designs, replications).

    ``reference`` (reference designs, replications) is needed for ``regret``: per replication
    the best (lowest) reference value.
    """
    if measure == "mean":
        return values.mean(axis=1)
    if measure == "percentile":
        return np.percentile(values, 100.0 - percentile, axis=1)
    if measure == "regret":
        if reference is None:
            raise ValueError("regret needs the reference designs' values")
        best = reference.min(axis=0)
        return np.maximum(values - best, 0.0).mean(axis=1)
    raise ConfigError(f"unknown robustness measure {measure!r} for optimize.robustness; valid "
                      f"choices: {', '.join(ROBUSTNESS)}")


def natural(objective: Objective, value, measure: str):
    """A robust value in the outcome's own units (a regret stays a non-negative shortfall)."""
    if measure == "regret":
        return value
    return -value if objective.maximise else value


__all__ = ["OBJECTIVES", "ROBUSTNESS", "Objective", "by_replication", "natural",
           "objectives_named", "robust"]
