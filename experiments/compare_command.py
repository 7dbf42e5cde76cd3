"""``kzsim compare designs=[a,b,...] [overrides]``: paired comparison of sanctions designs."""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

from omegaconf import OmegaConf

from kzsim.configuration import compose_mapping, group_options, split
from kzsim.ensemble import load_ensemble
from kzsim.store import output_folder
from sim.analysis.compare import HEADLINE, comparison_table, pareto_marks
from sim.comparison import CompareSettings, choose_reference, make_compare_plan, run_compare
from sim.config import from_mapping
from sim.errors import ConfigError
from sim.results import load_results
from sim.schema import build

SHORTHANDS = {"designs": "compare.designs", "reference": "compare.reference"}
TABLE = ("mean_pressure_on_russia_usd_bn", "mean_pressure_on_russia", "welfare_loss_usd_bn",
         "welfare_loss_pct_gdp", "final_align_west",
         "final_balance_index", "final_captured_rus", "final_captured_chn", "final_captured_west")


def _expand(overrides: list[str]) -> list[str]:
    """Spell the shorthands out (designs=, reference=) and default the name to ``compare``."""
    out = []
    for o in overrides:
        m = re.match(r"^(\w+)=(.*)$", o)
        short = m and m.group(1) in SHORTHANDS
        out.append(f"{SHORTHANDS[m.group(1)]}={m.group(2)}" if short else o)
    if not any(o.startswith("name=") for o in out):
        out.append("name=compare")
    return out


def _names_reference(overrides: list[str]) -> bool:
    """Whether the user gave compare.reference (or reference=) explicitly."""
    return any(re.match(r"^\+{0,2}compare\.reference=", o) for o in overrides)


def load_design(name: str) -> dict:
    """A shipped design's fields, by name; an unknown name lists the valid ones."""
    from kzsim import configs

    options = group_options("sanctions")
    if name not in options:
        raise ConfigError(f"unknown sanctions design '{name}' in compare.designs; valid choices: "
                          f"{', '.join(options)}")
    path = Path(configs.__file__).parent / "sanctions" / f"{name}.yaml"
    return OmegaConf.to_container(OmegaConf.load(path), resolve=True)


def designs_of(entries, base: dict, frontier: str | None = None) -> list[tuple[str, dict]]:
    """The designs of ``compare.designs``, as (name, fields).

    Named designs, frontier designs (``frontier_<id>`` of the design search in ``frontier``),
    or mappings of fields on top of the configured ``sanctions`` design.
    """
    from kzsim.optimize_command import FRONTIER_DESIGN, frontier_design

    if isinstance(entries, str) or not hasattr(entries, "__iter__"):
        raise ConfigError("compare.designs must be a list, e.g. "
                          "designs=[calibrated,status_quo_2022]")
    out = []
    for i, entry in enumerate(entries):
        found = isinstance(entry, str) and FRONTIER_DESIGN.fullmatch(entry)
        if found:
            if not frontier:
                raise ConfigError(f"design {entry} comes from a design search: give its folder "
                                  "with compare.frontier=<the out= of kzsim optimize>")
            fields = frontier_design(frontier, int(found.group(1)))
            out.append((entry, {**copy.deepcopy(base), "sources": [], **fields, "name": entry}))
        elif isinstance(entry, str):
            out.append((entry, load_design(entry)))
        elif isinstance(entry, dict):
            design = {**copy.deepcopy(base), "sources": [], **entry}
            design["name"] = str(entry.get("name", f"custom_{i + 1}"))
            out.append((design["name"], design))
        else:
            raise ConfigError(f"compare.designs[{i}] must be a design name or a mapping of "
                              f"fields, got {entry!r}")
    return out


def _cell(est, lo, hi, pct=False, signed=False) -> str:
    f = "{:+.3f}" if signed else "{:.3f}"
    return f"{f.format(est)} [{lo:.3f}, {hi:.3f}]"


def format_table(table, marks, reference: str) -> str:
    """The printed tables: estimates with 95% intervals, paired differences, Pareto marks."""
    labels = {c: lab for c, lab, _ in HEADLINE}
    designs = list(dict.fromkeys(table["design"]))
    width = max(len(d) for d in designs) + 2
    draws = int(table["clusters"].max()) if "clusters" in table else 0
    lines = [("intervals: t for means, Wilson for shares of runs; paired differences: t, and "
              "Newcombe's method 10 for shares")
             + (f"; all cluster-robust over the {draws} uncertainty draws (t with {draws - 1} "
                "degrees of freedom)" if draws else "")]
    for what, cols in (("estimate", ("estimate", "low", "high")),
                       (f"paired difference vs {reference}", ("diff", "diff_low", "diff_high"))):
        lines.append(f"\n{what} (95% interval)")
        for outcome in TABLE:
            if outcome not in set(table["outcome"]):
                continue
            lines.append(f"  {labels[outcome]}")
            sub = table[table["outcome"] == outcome].set_index("design")
            for d in designs:
                r = sub.loc[d]
                if what != "estimate" and d == reference:
                    continue
                cell = _cell(r[cols[0]], r[cols[1]], r[cols[2]], signed=what != 'estimate')
                lines.append(f"    {d:{width}s} {cell}")
    for col, text in (("pareto_welfare", "pressure on Russia vs Kazakh welfare loss"),
                      ("pareto_west", "pressure on Russia vs alignment with the West"),
                      ("pareto_balance", "pressure on Russia vs balance")):
        front = [d for d in designs if marks.loc[d, col]]
        lines.append(f"Pareto front of {text}: {', '.join(front)}")
    return "\n".join(lines)


def compare_command(overrides: list[str]) -> int:
    """Compose, validate, run (or resume), tabulate and store the comparison."""
    overrides = _expand(overrides)
    mapping = compose_mapping(overrides)
    model, edge = split(mapping)
    cfg = from_mapping(model)
    settings = build(CompareSettings, edge["compare"], "compare")
    settings.check_resources(cfg.turns)
    designs = designs_of(settings.designs, model["sanctions"], settings.frontier)
    names = [n for n, _ in designs]
    reference = choose_reference(names, settings.reference, _names_reference(overrides))
    if reference != settings.reference:
        settings = dataclasses.replace(settings, reference=reference)
    ensemble = load_ensemble(model, overrides, cfg.quiet)
    plan = make_compare_plan(model, designs, settings, ensemble)
    out = output_folder(model, plan.kind, plan.identity)
    tables = {}

    def tabulate(folder) -> None:
        runs = load_results(folder.out).runs.rename(columns={"replication": "pair"})
        tables["table"] = table = comparison_table(runs, settings.reference)
        tables["marks"] = marks = pareto_marks(table)
        folder.write_frame("comparison.parquet", table)
        folder.write_text("comparison.csv", table.to_csv(index=False))
        folder.write_text("pareto.csv", marks.to_csv())

    summary = run_compare(model, designs, settings, out, quiet=cfg.quiet, after=tabulate,
                          plan=plan)
    table, marks = tables["table"], tables["marks"]
    n = summary["replications"]
    print(f"compared {len(designs)} designs x {n} paired runs "
          f"({summary['runs']:,} runs, {summary['seconds']:.1f} s)")
    default = edge["compare"]["reference"]
    why = (f" (the first design: compare.reference '{default}' is not among the designs)"
           if reference != default else "")
    print(f"reference design: {reference}{why}; differences are paired against it")
    print(format_table(table, marks, settings.reference))
    print(f"\nresults: {out}/ (runs/, bands/, why/, comparison.csv, pareto.csv, manifest.json); "
          f"report: kzsim report {out}")
    return 0
