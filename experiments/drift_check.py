"""Why latent alignment drifts toward Russia: pushes by source, and the paths they produce.

For fixed seeds, in (a) the 2014-2021 spin-up with no events and no sanctions, (b1) the
forward run from the 2021 baseline with ``status_quo_2022`` and (b2) the same with no
sanctions, (c) the spin-up as shipped and (d) the 2022 replay (``history=events_2022_2025``,
January-December 2022 only), prints each source's mean yearly contribution to the Russian and
EU alignment shares: the exact "why" columns of :mod:`sim.attribution` summed over each year's
months and averaged over runs (mechanisms M1-M20, the random shock, and the same change split
by actor). Then a summary by group of mechanisms over the first year and the whole run, and
the yearly mean alignment and expected UN agreement (:mod:`sim.observation`) of the spin-ups,
the forward runs (b1, b2; agreement anchored on 2021) and the 2022 replay, and Russia's mean
offers in each setting's first month.

Run: ``.venv/bin/python -m kzsim.drift_check [runs] [overrides...]`` (default 50 runs;
overrides such as ``policy_params.tit_for_tat.offer_cost=1.4`` apply to every setting). Not
wired into the command line; the numbers are reported in docs/EVIDENCE_PLAN.md ("Why
alignment drifts toward Russia").
"""

from __future__ import annotations

import sys

import pandas as pd

import kzsim
from sim.api import run
from sim.hindcast import replay
from sim.spinup import OVERRIDES, spinup
from sim.streams import run_seeds

NO_SHOCKS = ("history=none", "sanctions.intensity=0")
"""The spin-up without dated events and without the 2014 sanctions."""
NO_SANCTIONS = ("sanctions.intensity=0", "sanctions.secondary_enforcement=0")
SHOWN = 0.002
"""A source is listed when some year's mean contribution exceeds this."""
GROUPS = {
    "Russia's offers and threats (M8, M9)": ("M8", "M9"),
    "Russia's CPC leverage (M7)": ("M7",),
    "sanctions side (M1-M4, M6, M10, M17)": ("M1", "M2", "M3", "M4", "M6", "M10", "M17"),
    "China (M11, M12)": ("M11", "M12"),
    "West's engagement (M13, M14)": ("M13", "M14"),
    "doctrine and signals (M16, M20)": ("M16", "M20"),
    "bridge value (M18)": ("M18",),
    "noise (shock)": ("shock",),
}


def settings(extra=()) -> dict[str, tuple[list[str], int]]:
    """Label -> (overrides, months) of the five settings."""
    extra = list(extra)
    return {
        "(a) spin-up, no events, no sanctions": ([*OVERRIDES, *NO_SHOCKS, *extra], 96),
        "(b1) 2021 forward, status_quo_2022": (extra, 36),
        "(b2) 2021 forward, no sanctions": ([*NO_SANCTIONS, *extra], 36),
        "(c) spin-up as shipped": ([*OVERRIDES, *extra], 96),
        "(d) 2022 replay": (["history=events_2022_2025", *extra], 12),
    }


def yearly_contributions(overrides, turns: int, seeds) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(source, power) x year mean summed contributions, and the year-end mean shares."""
    df = run(kzsim.load_config(list(overrides)), seeds, turns=turns)
    df = df[df["turn"] > 0].copy()
    df["yr"] = (df["turn"] - 1) // 12 + 1
    sources = sorted({c.split("_")[1] for c in df.columns if c.startswith("contrib_")},
                     key=lambda s: (len(s), s))
    cols = {(s, p): df.groupby(["yr", "run"])[f"contrib_{s}_{p}"].sum().groupby("yr").mean()
            for s in sources for p in ("rus", "eu")}
    ends = df[df["turn"] % 12 == 0].groupby("yr")[
        ["align_rus", "align_chn", "align_usa", "align_eu"]].mean()
    return pd.DataFrame(cols).T, ends.T


def grouped(table: pd.DataFrame) -> pd.DataFrame:
    """Per group of :data:`GROUPS` and for Russia as an actor: RUS and EU, year 1 and all years."""
    rows = {}
    for name, members in {**GROUPS, "actor RUS (all its levers)": ("RUS",)}.items():
        part = table.loc[[(m, p) for m in members for p in ("rus", "eu") if (m, p) in table.index]]
        row = {}
        for p in ("rus", "eu"):
            sel = part[part.index.get_level_values(1) == p]
            row[f"{p} year 1"] = sel[1].sum() if len(sel) else 0.0
            row[f"{p} all years"] = sel.sum(axis=1).sum() if len(sel) else 0.0
        rows[name] = row
    return pd.DataFrame(rows).T


def restoring(seeds, extra=(), size: float = 0.05) -> pd.DataFrame:
    """How the first year's change of a_RUS responds to a_RUS at the start, by source.

    Runs the 2021 baseline without sanctions for 12 months with ``size`` of alignment moved
    from the EU to Russia, none, and ``size`` moved back (common random numbers). Column
    ``up`` is the slope of the 12-month change of the Russian share (and of each source's
    contribution to it) between the start and the start moved toward Russia; ``down``
    between the start moved toward the EU and the start. Negative is a restoring force,
    positive amplifies a departure from 2021. The two differ because M16 acts only on a bloc
    above its cap: the West is 0.458 in 2021, just above 0.45, so moving shares to the EU
    meets the doctrine and moving them to Russia does not.
    """
    base = [*NO_SANCTIONS, *extra]
    b = kzsim.load_config(base).baseline.alignment
    sums = {}
    for d in (size, 0.0, -size):
        over = [*base, f"baseline.alignment.rus.value={b.rus.value + d}",
                f"baseline.alignment.eu.value={b.eu.value - d}"]
        df = run(kzsim.load_config(over), seeds, turns=12)
        df = df[df["turn"] > 0]
        cols = [c for c in df.columns if c.startswith("contrib_") and c.endswith("_rus")]
        change = df.groupby("run")[cols].sum()
        change.insert(0, "total", change[[c for c in cols if c[8:-4] not in
                                          ("KAZ", "RUS", "CHN", "USA", "EU")]].sum(axis=1))
        sums[d] = change.mean().rename(lambda c: c.removeprefix("contrib_").removesuffix("_rus"))
    return pd.DataFrame({"up": (sums[size] - sums[0.0]) / size,
                         "down": (sums[0.0] - sums[-size]) / size})


def paths(per_run: pd.DataFrame) -> pd.DataFrame:
    """Yearly means of alignment and expected UN agreement with Russia and the EU."""
    cols = ["alignment.RUS", "alignment.EU", "unga_agreement.RUS", "unga_agreement.EU"]
    return per_run.groupby(level="year")[cols].mean().T


OFFERS = ("act_rus_eaeu_offer", "act_rus_security_offer", "act_rus_gas_union")
"""Russia's incentive levers, as recorded per month."""


def first_month_offers(seeds, extra=()) -> pd.DataFrame:
    """Russia's mean EAEU, CSTO and gas-union offers in the first month of each setting.

    The 2021 references (``M9.eaeu_ref``, ``M8.guarantee_ref``) are 0.5 and 0.5, and no gas
    union; the diagnosis measured 0.924, 0.924 and 0.254 at the kz2021 state.
    """
    rows = {}
    for label, (over, _) in settings(extra).items():
        df = run(kzsim.load_config(list(over)), seeds, turns=1)
        rows[label] = df.loc[df["turn"] == 1, list(OFFERS)].mean()
    return pd.DataFrame(rows).T.rename(columns=lambda c: c.removeprefix("act_rus_"))


def main(runs: int = 50, extra=()) -> None:
    """Print the decompositions, the grouped summary and the paths."""
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    seeds = run_seeds(0, runs)
    summary = {}
    for label, (over, turns) in settings(extra).items():
        table, ends = yearly_contributions(over, turns, seeds)
        summary[label] = grouped(table)
        shown = table[table.abs().max(axis=1) > SHOWN]
        print(f"\n== {label}: yearly contribution by source (year 1 = first 12 months)")
        print(shown.round(3).to_string())
        print("mean share at each year's end")
        print(ends.round(3).to_string())
    print("\n== summary: contribution to the RUS and EU shares, by group")
    print(pd.concat(summary).round(3).to_string())
    print("\n== restoring force at the 2021 baseline (no sanctions, first 12 months)")
    print("slope of the 12-month change of a_RUS (and of each source's part) against a_RUS at "
          "the start; negative = restoring")
    slopes = restoring(seeds, extra)
    print(slopes[slopes.abs().max(axis=1) > 0.01].round(3).to_string())
    print("\n== paths (yearly means; agreement is the observation model's expectation)")
    for label, over in (("(a) spin-up, no events, no sanctions", [*OVERRIDES, *NO_SHOCKS]),
                        ("(c) spin-up as shipped", list(OVERRIDES))):
        print(label)
        print(paths(spinup(kzsim.load_config([*over, *extra]), seeds)).round(3).to_string())
    for label, over in (("(b1) 2021 forward, status_quo_2022", []),
                        ("(b2) 2021 forward, no sanctions", list(NO_SANCTIONS))):
        print(label)
        cfg = kzsim.load_config([*over, *extra])
        print(paths(replay(cfg, seeds, last_year=2024)).round(3).to_string())
    print("(d) 2022 replay (events_2022_2025 through 2022-12)")
    cfg = kzsim.load_config(["history=events_2022_2025", *extra])
    print(paths(replay(cfg, seeds, last_year=2022)).round(3).to_string())
    print("\n== Russia's mean offers in the first month (2021 references: 0.5, 0.5, no gas union)")
    print(first_month_offers(seeds, extra).round(3).to_string())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50, sys.argv[2:])
