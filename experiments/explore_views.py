"""What the explorer shows, as plain functions: open a results folder, pick and filter, run live.

The browser app (:mod:`kzsim.explore_app`, Streamlit) only lays these out. Everything here
returns data or Matplotlib figures drawn by the report's own figure functions
(:mod:`kzsim.figures`), so the explorer and ``kzsim report`` share colours, labels and
numbers. Nothing here imports Streamlit, so it is tested without a browser.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kzsim.report_kinds import Stored, _verified
from sim.analysis.compare import comparison_table, pareto_marks
from sim.design import NUMERIC_FIELDS, SanctionsDesign
from sim.errors import ConfigError
from sim.files import shown
from sim.folder import read_manifest
from sim.policies import policies_for
from sim.results import Results, load_complete_results

KINDS = ("sweep", "compare", "hindcast")
"""The results folders the explorer opens (what ``kzsim sweep``, ``compare`` and ``hindcast``
write)."""
ACTORS = (("kaz", "KAZ", "Kazakhstan"), ("rus", "RUS", "Russia"), ("chn", "CHN", "China"),
          ("usa", "USA", "the US"), ("eu", "EU", "the EU"))
"""(configuration key, registry code, display name) of each actor whose policy can be chosen."""
LIVE_RUNS = 100
"""Paired replications per live redraw (100 runs x 120 months: under a second on one core)."""


@dataclass(frozen=True)
class Opened:
    """A verified results folder: its kind and what the figures read."""

    path: Path
    kind: str
    results: Results | None = None     # sweep, compare
    stored: Stored | None = None       # hindcast


def open_folder(path: str | Path) -> Opened:
    """Verify and load a results folder of one of :data:`KINDS`.

    Raises:
        ConfigError: not a folder, no manifest, an unfinished or damaged folder (the checks of
            ``kzsim report``: every listed file against its SHA-256), or another kind.

    """
    path = Path(path)
    if not path.is_dir():
        raise ConfigError(f"{shown(path)} is not a folder; give a results folder that kzsim "
                          f"{', '.join(KINDS)} wrote, or no folder for live mode")
    manifest = read_manifest(path)
    if manifest is None:
        raise ConfigError(f"{shown(path)} has no manifest.json; give a results folder that "
                          f"kzsim {', '.join(KINDS)} wrote, or no folder for live mode")
    kind = manifest.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{shown(path)} holds kzsim {kind} results, which the explorer does "
                          f"not show; valid kinds: {', '.join(KINDS)} (kzsim report reads "
                          "every kind)")
    if kind == "hindcast":
        return Opened(path, kind, stored=_verified(path, manifest))
    return Opened(path, kind, results=load_complete_results(path))


def point_labels(res: Results) -> dict[int, str]:
    """Point id -> its name: the design in a comparison, ``lever=value, ...`` in a sweep."""
    from kzsim.figures.designs import point_names

    return {int(k): str(v) for k, v in point_names(res).items()}


def lever_ranges(res: Results) -> dict[str, tuple[float, float]]:
    """Each swept lever's column and its (lowest, highest) value over the points."""
    pts = res.points
    return {lever: (float(pts[lever].min()), float(pts[lever].max()))
            for lever in res.manifest.get("levers", []) if lever in pts}


def filter_points(res: Results, ranges: dict[str, tuple[float, float]]) -> list[int]:
    """The point ids whose every lever lies in its ``(low, high)`` range (ends included)."""
    pts = res.points
    keep = pd.Series(True, index=pts.index)
    for lever, (low, high) in ranges.items():
        keep &= pts[lever].between(low, high)
    return [int(p) for p in pts.loc[keep, "point_id"]]


def subset(res: Results, point_ids) -> Results:
    """The same results restricted to ``point_ids`` (runs, points, bands and why)."""
    ids = set(int(p) for p in point_ids)

    def part(frame):
        return None if frame is None else frame[frame["point_id"].isin(ids)].reset_index(
            drop=True)

    return dataclasses.replace(res, runs=part(res.runs), points=part(res.points),
                               bands=part(res.bands), why=part(res.why))


def design_table(res: Results, point_ids) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comparison table and Pareto marks of the chosen points (as ``kzsim report``).

    Each point is a design (its name from :func:`point_labels`); the reference of the paired
    differences is the first point chosen.
    """
    ids = [int(p) for p in point_ids]
    labels = point_labels(res)
    runs = res.runs[res.runs["point_id"].isin(ids)].rename(columns={"replication": "pair"})
    runs = runs.assign(design=runs["point_id"].map(labels))
    table = comparison_table(runs, labels[ids[0]])
    return table, pareto_marks(table)


def capture_table(table: pd.DataFrame) -> pd.DataFrame:
    """Share of runs ending captured by each bloc, per design, with its 95% interval."""
    rows = table[table["outcome"].str.startswith("final_captured_")]
    cells = rows.assign(cell=rows.apply(
        lambda r: f"{r['estimate']:.3f} [{r['low']:.3f}, {r['high']:.3f}]", axis=1))
    return cells.pivot(index="design", columns="label", values="cell")


def outcome_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Every outcome per design as ``estimate [low, high]`` (rows: outcomes)."""
    cells = table.assign(cell=table.apply(
        lambda r: f"{r['estimate']:.3f} [{r['low']:.3f}, {r['high']:.3f}]", axis=1))
    return cells.pivot(index="label", columns="design", values="cell")


def design_fields() -> list[tuple[str, float, float, float, str]]:
    """``(field, low, high, step, doc)`` of every numeric sanctions-design field."""
    out = []
    for name in NUMERIC_FIELDS:
        f = SanctionsDesign.__dataclass_fields__[name]
        low, high = f.metadata["range"]
        step = 1.0 if f.type in (int, "int") else 0.05
        out.append((name, float(low), float(high), step, f.metadata["doc"]))
    return out


def policy_choices() -> dict[str, list[str]]:
    """Each actor's configuration key -> the policies it may follow (the registry)."""
    return {key: policies_for(code) for key, code, _ in ACTORS}


def live_design(fields: dict[str, float]) -> dict:
    """The live design: the chosen fields on top of the configured design, named ``live``."""
    known = {name for name, *_ in design_fields()}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ConfigError(f"unknown design field {unknown[0]!r}; valid fields: "
                          f"{', '.join(sorted(known))}")
    return {"name": "live", **{k: (int(v) if k == "duration" else float(v))
                               for k, v in fields.items()}}


@functools.lru_cache(maxsize=1)
def _base_mapping() -> dict:
    from kzsim.configuration import compose_mapping

    return compose_mapping(["quiet=true"])


def live_mapping(policies: dict[str, str], runs: int = LIVE_RUNS) -> dict:
    """The configuration of a live batch.

    The defaults (composed once), the chosen policies and ``runs`` paired replications; names
    and values are checked as on the command line.
    """
    mapping = copy.deepcopy(_base_mapping())
    mapping["compare"]["replications"] = int(runs)
    for actor, name in policies.items():
        if actor not in mapping["policy"]:
            raise ConfigError(f"unknown actor {actor!r}; valid actors: "
                              f"{', '.join(mapping['policy'])}")
        mapping["policy"][actor] = name
    return mapping


def run_live(fields: dict[str, float], policies: dict[str, str],
             runs: int = LIVE_RUNS) -> Results:
    """One live batch: ``runs`` paired replications of the chosen design, held in memory.

    Each run has its paired no-sanctions counterfactual and draws its parameter set from the
    posterior ensemble by its seed, as every ``kzsim compare`` run does.
    """
    from kzsim.api import compare

    return compare([live_design(fields)], live_mapping(policies, runs))


def hindcast_panels(stored: Stored) -> list[str]:
    """The quantities of a stored hindcast, in its table's order."""
    table = stored.csv("hindcast.csv")
    return list(dict.fromkeys(table["quantity"]))


__all__ = ["ACTORS", "KINDS", "LIVE_RUNS", "Opened", "capture_table", "design_fields",
           "design_table", "filter_points", "hindcast_panels", "lever_ranges",
           "live_design", "live_mapping", "open_folder", "outcome_cells", "point_labels",
           "policy_choices", "run_live", "subset"]
