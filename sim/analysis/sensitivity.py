"""Global sensitivity through SALib: Sobol indices (Saltelli sampling) and Morris screening.

The functions are model-free: they take a ``problem`` (names and bounds), produce sample
points, and turn an output vector into indices. ``kzsim sensitivity`` evaluates the points
with the batched runner; the tests evaluate the same points with the Ishigami function, whose
indices are known, through the same code path.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample


def problem_of(ranges: dict[str, list]) -> dict:
    """A SALib problem from {name: [low, high]}."""
    return {"num_vars": len(ranges), "names": list(ranges),
            "bounds": [[float(lo), float(hi)] for lo, hi in ranges.values()]}


def _seed(seed: int, salt: int) -> int:
    return int(np.random.SeedSequence([seed, salt]).generate_state(1)[0])


def _note(text: str, setting: str, n: int) -> str:
    if "power of 2" in text:
        low = 1 << (max(n, 1).bit_length() - 1)
        return (f"{setting}={n} is not a power of 2, so the Sobol' points lose their balance "
                f"properties; {low} or {2 * low} would keep them")
    return f"{setting}={n}: {text.strip().splitlines()[0] if text.strip() else 'sampling note'}"


def saltelli_sample(problem: dict, n: int, seed: int, setting: str = "sensitivity.samples"):
    """SALib's Saltelli/Sobol sample for first-order and total indices (``n * (D + 2)`` rows).

    SALib's warnings (e.g. for an ``n`` that is not a power of 2) become one
    ``kzsim: note: ...`` line each on stderr, naming ``setting``, instead of a raw warning.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    for text in dict.fromkeys(str(w.message) for w in caught):
        print(f"kzsim: note: {_note(text, setting, n)}", file=sys.stderr)
    return x


def sobol_points(problem: dict, n: int, seed: int) -> pd.DataFrame:
    """Saltelli points for first-order and total indices: ``n * (D + 2)`` rows."""
    x = saltelli_sample(problem, n, _seed(seed, 1))
    return pd.DataFrame(x, columns=problem["names"])


def sobol_indices(problem: dict, y, seed: int, level: float = 0.95) -> pd.DataFrame:
    """First-order and total Sobol indices with bootstrap confidence half-widths."""
    res = sobol_analyze.analyze(problem, np.asarray(y, dtype=float), calc_second_order=False,
                                conf_level=level, seed=_seed(seed, 2))
    return pd.DataFrame({"parameter": problem["names"], "S1": res["S1"], "S1_conf": res["S1_conf"],
                         "ST": res["ST"], "ST_conf": res["ST_conf"]})


def morris_points(problem: dict, trajectories: int, levels: int, seed: int) -> pd.DataFrame:
    """Morris elementary-effect trajectories: ``trajectories * (D + 1)`` rows."""
    x = morris_sample.sample(problem, trajectories, num_levels=levels, seed=_seed(seed, 3))
    return pd.DataFrame(x, columns=problem["names"])


def morris_indices(problem: dict, x: pd.DataFrame, y, levels: int, seed: int,
                   level: float = 0.95) -> pd.DataFrame:
    """Morris mu, mu* (with confidence half-width) and sigma per parameter."""
    res = morris_analyze.analyze(problem, x.to_numpy(), np.asarray(y, dtype=float),
                                 conf_level=level, num_levels=levels, seed=_seed(seed, 4))
    return pd.DataFrame({"parameter": problem["names"], "mu": res["mu"], "mu_star": res["mu_star"],
                         "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"]})


def ishigami(x: pd.DataFrame, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami test function (S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244)."""
    x1, x2, x3 = (x.iloc[:, i].to_numpy() for i in range(3))
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3 ** 4 * np.sin(x1)
