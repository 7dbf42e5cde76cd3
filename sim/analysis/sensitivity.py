"""Global sensitivity through SALib: Sobol indices (Saltelli sampling) and Morris screening.

The functions are model-free: they take a ``problem`` (names and bounds), produce sample
points, and turn an output vector into indices. ``kzsim sensitivity`` evaluates the points
with the batched runner; the tests evaluate the same points with the Ishigami function, whose
indices are known, through the same code path.

Sobol' points are balanced only in blocks of a power of two (Sobol' 1967, USSR Comput. Math.
Math. Phys. 7:86-112; Owen 2022, "On dropping the first Sobol' point", Monte Carlo and
Quasi-Monte Carlo Methods 2020, Springer), so a base sample size ``N`` that is not one is
refused with one line naming the setting and the nearest powers. The first ``N/2`` base
samples of a Saltelli sample of size ``N`` are exactly the Saltelli sample of size ``N/2``
(SALib's scrambled sequence with the same seed), so :func:`sobol_indices` also reports every
index from that first half (``S1_half``, ``ST_half``): where the two differ by more than the
bootstrap interval, ``N`` is too small (the convergence check Sarrazin, Pianosi & Wagener
2016, Environ. Model. Softw. 79:135-152, recommend). Estimates of a total index can exceed 1
by sampling error; they are not results.
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

from sim.errors import ConfigError


def problem_of(ranges: dict[str, list]) -> dict:
    """A SALib problem from {name: [low, high]}."""
    return {"num_vars": len(ranges), "names": list(ranges),
            "bounds": [[float(lo), float(hi)] for lo, hi in ranges.values()]}


def _seed(seed: int, salt: int) -> int:
    return int(np.random.SeedSequence([seed, salt]).generate_state(1)[0])


def _note(text: str, setting: str, n: int) -> str:
    return f"{setting}={n}: {text.strip().splitlines()[0] if text.strip() else 'sampling note'}"


def check_power_of_two(n: int, setting: str) -> None:
    """Refuse a Sobol' base sample size that is not a power of 2, naming the nearest ones.

    Raises:
        ConfigError: ``<setting>=<n> is not a power of 2 ...``, with the powers around ``n``.

    """
    if n >= 1 and n & (n - 1) == 0:
        return
    low = 1 << (max(n, 1).bit_length() - 1)
    raise ConfigError(f"{setting}={n:,} is not a power of 2; Sobol' points are balanced only "
                      f"in powers of 2: use {setting}={low:,} or {2 * low:,}")


def saltelli_sample(problem: dict, n: int, seed: int, setting: str = "sensitivity.samples"):
    """SALib's Saltelli/Sobol sample for first-order and total indices (``n * (D + 2)`` rows).

    ``n`` must be a power of 2 (:func:`check_power_of_two`, naming ``setting``). Any other
    SALib warning becomes one ``kzsim: note: ...`` line on stderr instead of a raw warning.
    """
    check_power_of_two(n, setting)
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
    """First-order and total Sobol indices with bootstrap half-widths, and at N/2.

    Columns ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` from all ``N`` base samples, then
    ``S1_half`` and ``ST_half`` from the first ``N/2`` (NaN when ``N/2 < 2``) for the
    convergence check (see the module docstring).
    """
    y = np.asarray(y, dtype=float)
    res = sobol_analyze.analyze(problem, y, calc_second_order=False, conf_level=level,
                                seed=_seed(seed, 2))
    step = problem["num_vars"] + 2
    half = y.size // step // 2
    if half >= 2:
        first = sobol_analyze.analyze(problem, y[:half * step], calc_second_order=False,
                                      conf_level=level, seed=_seed(seed, 2))
        s1_half, st_half = first["S1"], first["ST"]
    else:
        s1_half = st_half = np.full(problem["num_vars"], np.nan)
    return pd.DataFrame({"parameter": problem["names"], "S1": res["S1"], "S1_conf": res["S1_conf"],
                         "ST": res["ST"], "ST_conf": res["ST_conf"], "S1_half": s1_half,
                         "ST_half": st_half})


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
