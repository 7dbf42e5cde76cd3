"""``kzsim <command> --help`` and ``--cfg``: settings, defaults and examples from their sources.

Nothing here repeats a setting: defaults come from the composed configuration
(:func:`kzsim.configuration.compose_mapping` with the overrides the command itself adds, so
``kzsim compare --help`` shows ``name=compare`` and ``kzsim hindcast --help`` ``runs=100``);
descriptions, ranges and units from the :func:`sim.schema.spec` metadata of the settings
dataclasses; config-group choices from ``configs/``; policy names from the policy registry;
mechanism titles from the mechanism registry. This module (and Hydra with it) is imported only
when help or ``--cfg`` is asked for.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Callable, Mapping
from importlib import import_module, resources
from typing import Any

import yaml

from sim.schema import show_number

WIDTH = 100
COLUMN = 32

# command: (module, function) giving the overrides the command composes from the user's
PRESETS = {
    "compare": ("kzsim.compare_command", "_expand"),
    "calibrate": ("kzsim.replay_commands", "calibrate_overrides"),
    "fit": ("kzsim.fit_command", "fit_overrides"),
    "hindcast": ("kzsim.replay_commands", "hindcast_overrides"),
    "optimize": ("kzsim.optimize_command", "_with_name"),
}
# command: its settings groups as (group, module, dataclass, only these fields or None)
SETTINGS = {
    "sweep": [("sweep", "sim.sweep.settings", "SweepSettings", None)],
    "compare": [("compare", "sim.comparison", "CompareSettings", None)],
    "sensitivity": [("sensitivity", "kzsim.sensitivity_command", "SensitivitySettings", None)],
    "calibrate": [("calibration", "sim.replay_settings", "CalibrationSettings", None)],
    "fit": [("fit", "sim.replay_settings", "FitSettings", None)],
    "hindcast": [("hindcast", "sim.replay_settings", "HindcastSettings", None),
                 ("calibration", "sim.replay_settings", "CalibrationSettings", ("targets",))],
    "optimize": [("optimize", "sim.search.settings", "OptimizeSettings", None)],
}
# the top-level settings each command reads (sweeps replicate points instead of runs=; the
# replays simulate through a fixed year instead of turns=)
_ALL = ("name", "turns", "runs", "seed", "start", "out", "quiet", "ensemble", "posterior")
TOP_KEYS = {
    "run": _ALL,
    "sweep": tuple(k for k in _ALL if k != "runs"),
    "compare": tuple(k for k in _ALL if k != "runs"),
    "sensitivity": tuple(k for k in _ALL if k != "runs"),
    "calibrate": tuple(k for k in _ALL if k not in ("runs", "turns", "ensemble", "posterior")),
    "fit": tuple(k for k in _ALL if k not in ("runs", "turns", "ensemble", "posterior")),
    "hindcast": tuple(k for k in _ALL if k != "turns"),
    "optimize": tuple(k for k in _ALL if k != "runs"),
}
# config groups chosen by name (group=<choice>), with the dataclass that documents each
GROUPS = {
    "sanctions": ("sim.design", "SanctionsDesign"),
    "history": ("sim.history", "History"),
    "baseline": ("sim.baseline", "Baseline"),
    "params": ("sim.config", "Params"),
    "actors": ("sim.config", "Actors"),
}
EXPERIMENT_COMMANDS = ("sweep", "sensitivity")

DETAILS = {
    "run": "Simulates `runs` replications of one configuration for `turns` months and writes "
           "trajectories.parquet, config.yaml, alignment.png, ternary.png and summary.txt to the "
           "output folder; prints the summary table (unless quiet).",
    "sweep": "Varies the levers of sweep.grid (design=grid) or sweep.ranges (lhs, sobol) over "
             "paired replications; chunks are stored as they finish, so running the same command "
             "again resumes. An experiment= preset sets a whole study. With -m each shard is a "
             "Hydra multirun job (add hydra/launcher=joblib to run them in parallel).",
    "compare": "Runs every design in compare.designs with the same paired seeds and prints "
               "estimates and paired differences against the reference design with 95% "
               "intervals, and the Pareto fronts; `kzsim report <folder>` draws them.",
    "report": "Writes report.html (figures embedded, one file to mail or archive), report.md and "
              "report_files/ from a stored results folder; nothing is simulated.",
    "sensitivity": "Sobol (Saltelli sample) and Morris indices of the outcomes over "
                   "sensitivity.ranges, each point evaluated by the batched, resumable runner.",
    "discover": "Finds boxes of lever ranges (a decision tree, PRIM-style) in which a target "
                "condition on the outcomes holds in most runs of a stored sweep; writes "
                "discovery.csv, discovery.png and discovery_tree.txt.",
    "calibrate": "Replays 2022 with the 2022-2025 events and fits the uncertain parameters of "
                 "configs/targets/<calibration.targets>.yaml to the observed levels; writes "
                 "fit.csv and fitted.yaml.",
    "fit": "Fits a posterior by ABC-SMC: replays of 2022 with the 2022-2025 events against the "
           "2022 targets of configs/targets/<fit.targets>.yaml and the 2022 UN vote agreement "
           "with Russia, China, the US and the EU; writes posterior/ (the artefact), "
           "posterior_summary.csv, generations.csv and fit_check.csv (in-sample coverage).",
    "hindcast": "Replays 2021 through hindcast.last_year with the 2022-2025 events (2023 on are "
                "predictions) and writes hindcast.csv and hindcast.png.",
    "optimize": "Searches the sanctions-design fields of optimize.levers with NSGA-II (pymoo) "
                "for the non-dominated designs over optimize.objectives, each made robust "
                "across the same paired replications (mean, a percentile, or regret against "
                "the reference designs), under optimize.constraints. Each generation is one "
                "batched model run; a killed search resumes from its last finished generation. "
                "Writes search/ (each generation's designs and runs), frontier.csv and the "
                "manifest.",
    "explore": "Serves a local web app (Streamlit) until Ctrl-C. With a sweep, compare or "
               "hindcast folder it shows the stored results: pick designs or points, filter a "
               "sweep by lever ranges, see alignment bands, simplex paths, Pareto trade-offs, "
               "capture probabilities and why-stacks in the report's colours. Its Live mode "
               "(the only mode without a folder) has a slider for every design field and a "
               "choice of each actor's policy, and re-runs a batch of paired replications on "
               "every change. Needs the [explore] extra.",
}
EXAMPLES = {
    "run": ["kzsim run",
            "kzsim run sanctions=calibrated policy.rus=tit_for_tat turns=60 runs=50 seed=1 "
            "out=results/try",
            "kzsim run mechanisms.M4=false sanctions.intensity=0.9 -q",
            "kzsim run --cfg sanctions=calibrated"],
    "sweep": ["kzsim sweep experiment=sanctions_grid",
              "kzsim sweep experiment=sanctions_lhs sweep.samples=500 sweep.replications=20 "
              "out=results/lhs",
              "kzsim sweep experiment=sanctions_lhs sweep.design=sobol sweep.samples=256",
              "kzsim sweep -m experiment=sanctions_lhs sweep.shards=4 'sweep.shard=range(0,4)'"],
    "compare": ["kzsim compare",
                "kzsim compare designs=[status_quo_2022,calibrated,secondary_crackdown] "
                "compare.replications=100",
                "kzsim compare compare.uncertainty_samples=20 turns=60"],
    "report": ["kzsim report results/sanctions_grid",
               "kzsim report results/compare out=reports/compare"],
    "sensitivity": ["kzsim sensitivity experiment=sobol_sanctions",
                    "kzsim sensitivity experiment=sobol_sanctions sensitivity.samples=256 "
                    "sensitivity.replications=5"],
    "discover": ["kzsim discover results/sanctions_lhs target=captured_east",
                 "kzsim discover results/sanctions_lhs 'target=final_align_west < 0.4' "
                 "max_depth=2"],
    "calibrate": ["kzsim calibrate",
                  "kzsim calibrate calibration.candidates=400 calibration.replications=2"],
    "fit": ["kzsim fit", "kzsim fit fit.particles=200 fit.generations=3 out=results/quick_fit"],
    "hindcast": ["kzsim hindcast", "kzsim hindcast runs=200 hindcast.last_year=2024"],
    "optimize": ["kzsim optimize",
                 "kzsim optimize optimize.generations=5 optimize.population=20 "
                 "optimize.replications=10",
                 "kzsim optimize 'optimize.objectives=[pressure,west]' "
                 "'+optimize.constraints.welfare_loss=1.5'",
                 "kzsim optimize optimize.robustness=regret"],
    "explore": ["kzsim explore", "kzsim explore results/compare",
                "kzsim explore results/sanctions_grid port=8600 runs=200"],
}
REPORT_OPTIONS = (("<results folder>", "a folder written by a kzsim command"),
                  ("out=<the results folder>", "where report.html, report.md and report_files/ "
                                               "go (a folder that holds nothing else)"))
# discover's options: (placeholder when it has no default, description)
DISCOVER_OPTIONS = {
    "target": ("<preset or condition>", "required: a preset below or a condition on the outcome "
                                        "columns, e.g. 'final_align_west < 0.4'"),
    "method": ("cart|prim", "CART boxes (a shallow decision tree) or PRIM (peeling, with its "
                            "trajectory)"),
    "max_depth": ("<n>", "depth of the decision tree [1, 8]"),
    "min_leaf": ("<share>", "smallest share of the runs in a box (0, 0.5)"),
    "threshold": ("<share>", "PRIM: the density the chosen box must reach (0, 1]"),
    "design": ("<name>", "a comparison's design: discover over its runs' posterior parameter "
                         "sets instead of levers"),
    "out": ("<the results folder>", "where the files go (a folder that holds nothing else)"),
    "quiet": ("true|false", "print less"),
}


def preset(command: str) -> Callable[[list[str]], list[str]]:
    """The function that turns the user's overrides into those ``command`` composes."""
    if command not in PRESETS:
        return list
    module, name = PRESETS[command]
    return getattr(import_module(module), name)


def _cls(module: str, name: str) -> type:
    return getattr(import_module(module), name)


def show_value(value: Any) -> str:
    """A value as it is written on the command line (``null``, ``true``, ``[a, b]``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return show_number(value)
    if isinstance(value, str):
        return value if value else "''"
    return yaml.safe_dump(value, default_flow_style=True, width=10**6, sort_keys=False).strip()


def describe(metadata: Mapping) -> str:
    """A field's description: its doc, then its range and unit (from :func:`sim.schema.spec`)."""
    lo, hi = metadata.get("range", (None, None))
    unit = metadata.get("unit", "")
    bounds = ""
    if lo is not None and hi is not None:
        bounds = f"[{show_number(lo)}, {show_number(hi)}]"
    elif lo is not None:
        bounds = f">= {show_number(lo)}"
    elif hi is not None:
        bounds = f"<= {show_number(hi)}"
    return " ".join(t for t in (metadata.get("doc", ""), bounds, unit) if t)


def field_rows(cls: type, values: Mapping, prefix: str,
               only: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(``prefix+field=default``, description) for each field of a settings dataclass."""
    return [(f"{prefix}{f.name}={show_value(values[f.name])}", describe(f.metadata))
            for f in dataclasses.fields(cls)
            if f.init and f.name in values and (only is None or f.name in only)]


def _first_line(cls: type) -> str:
    lines = (cls.__doc__ or "").strip().splitlines()
    return lines[0].rstrip(".") if lines else ""


def _rows(title: str, rows: list[tuple[str, str]]) -> str:
    lines = [f"{title}:"]
    for left, text in rows:
        left_lines = textwrap.wrap(left, WIDTH - 2, subsequent_indent="    ",
                                   break_on_hyphens=False) or [left]
        lines += [f"  {line}" for line in left_lines[:-1]]
        last = left_lines[-1]
        if not text:
            lines.append(f"  {last}")
            continue
        body = textwrap.wrap(text, WIDTH - COLUMN)
        if len(last) + 2 < COLUMN - 1:
            lines.append(f"  {last:{COLUMN - 3}s} {body[0]}")
            body = body[1:]
        else:
            lines.append(f"  {last}")
        lines += [" " * COLUMN + line for line in body]
    return "\n".join(lines)


def default_choices(command: str) -> dict[str, Any]:
    """The option each config group uses, as ``kzsim <command>`` composes it.

    ``configs/config.yaml``'s defaults list, then the group choices the command itself adds
    (``history=events_2022_2025`` for the replays).
    """
    text = (resources.files("kzsim.configs") / "config.yaml").read_text(encoding="utf-8")
    choices = {}
    for entry in yaml.safe_load(text)["defaults"]:
        if isinstance(entry, dict):
            for key, value in entry.items():
                if not key.startswith("override "):
                    choices[key] = value
    for override in preset(command)([]):
        key, _, value = override.partition("=")
        if key in choices:
            choices[key] = value
    return choices


def _model_sections(command: str, mapping: Mapping) -> list[str]:
    from kzsim.configuration import group_options
    from sim.config import Mechanisms, PolicyChoice, SimConfig
    from sim.mechanisms import MECHANISMS
    from sim.policies import policies_for

    choices = default_choices(command)
    sections = [_rows("settings (key=value)", field_rows(SimConfig, mapping, "",
                                                          TOP_KEYS[command]))]
    groups = [(g, _cls(*GROUPS[g])) for g in GROUPS]
    rows = [(f"{g}={show_value(choices.get(g))}",
             f"{_first_line(cls)}; choices: {', '.join(group_options(g))}") for g, cls in groups]
    if command in EXPERIMENT_COMMANDS:
        rows.insert(0, (f"experiment={show_value(choices.get('experiment'))}",
                        "a preset study (configs/experiment/<name>.yaml) setting the levers and "
                        f"sizes; choices: {', '.join(group_options('experiment'))}"))
    sections.append(_rows("config groups (<group>=<choice> picks configs/<group>/<choice>.yaml)",
                          rows))
    design = _cls(*GROUPS["sanctions"])
    sections.append(_rows(f"sanctions design (defaults of sanctions="
                          f"{show_value(choices.get('sanctions'))})",
                          field_rows(design, mapping["sanctions"], "sanctions.")))
    sections.append(_rows(f"policies ({_first_line(PolicyChoice)})", [
        (f"policy.{f.name}={show_value(mapping['policy'][f.name])}",
         "choices: " + ", ".join(policies_for(f.name.upper())))
        for f in dataclasses.fields(PolicyChoice)]))
    switches = mapping["mechanisms"]
    off = [m for m, on in switches.items() if not on]
    state = (f"off by default: {', '.join(off)}; the others on" if off
             else "all on by default")
    titles = "; ".join(f"{m} {MECHANISMS[m].title}" for m in switches if m in MECHANISMS)
    sections.append(_rows(f"mechanisms ({state})", [
        ("mechanisms.<id>=true|false", f"{_first_line(Mechanisms).replace('``', '')}: {titles}")]))
    sections.append(_rows(f"more values (kzsim {command} --cfg prints them all)", [
        ("params.<group>.<key>", f"{_first_line(_cls(*GROUPS['params']))}; groups: "
                                 f"{', '.join(mapping['params'])}"),
        ("policy_params.<policy>.<key>", "the parameters of each policy; policies: "
                                         f"{', '.join(mapping['policy_params'])}"),
        ("actors.<usa|eu>.<key>", _first_line(_cls(*GROUPS["actors"]))),
        ("baseline.<key>", _first_line(_cls(*GROUPS["baseline"]))),
    ]))
    return sections


def _settings_sections(command: str, mapping: Mapping) -> list[str]:
    sections = []
    for group, module, name, only in SETTINGS.get(command, []):
        cls = _cls(module, name)
        sections.append(_rows(f"{group} settings ({group}.<key>=value)",
                              field_rows(cls, mapping[group], f"{group}.", only)))
    if command == "compare":
        from kzsim.compare_command import SHORTHANDS

        sections.append("shorthands: " + "; ".join(f"{k}= is {v}=" for k, v in
                                                    SHORTHANDS.items()))
    return sections


EXPLORE_OPTIONS = (
    ("<results folder>", "optional: a folder written by kzsim sweep, compare or hindcast; "
                         "without one the page opens in live mode"),
    ("port=8501", "the port to serve on [1, 65535]"),
    ("host=127.0.0.1", "the address to bind (localhost; another address is reachable from "
                       "other machines)"),
    ("runs=100", "paired replications per live redraw [1, 10000]"))


def _folder_sections(command: str) -> list[str]:
    if command == "report":
        return [_rows("arguments and options", list(REPORT_OPTIONS))]
    if command == "explore":
        return [_rows("arguments and options", list(EXPLORE_OPTIONS))]
    from kzsim.discover_command import DEFAULTS, OPTIONS
    from sim.analysis.discovery import PRESETS as TARGETS

    rows = [("<results folder>", "a complete sweep (it must vary at least one lever), or a "
                                 "comparison with design=")]
    for key in OPTIONS:
        placeholder, text = DISCOVER_OPTIONS.get(key, ("<value>", ""))
        rows.append((f"{key}={show_value(DEFAULTS[key]) if key in DEFAULTS else placeholder}",
                     text))
    return [_rows("arguments and options", rows),
            _rows("target presets", [(f"target={name}", condition)
                                     for name, condition in TARGETS.items()])]


def command_help(command: str, parser: Any) -> str:
    """The whole ``kzsim <command> --help`` text: usage, options, settings, examples."""
    summary = parser.description
    if "." not in summary.split()[0]:           # "report.html ..." stays as written
        summary = summary[:1].upper() + summary[1:]
    parser.description = f"{summary}\n\n" + textwrap.fill(DETAILS[command], WIDTH)
    sections = [parser.format_help().rstrip()]
    if command in SETTINGS or command in TOP_KEYS:
        from kzsim.configuration import compose_mapping

        mapping = compose_mapping(preset(command)([]))
        sections += _settings_sections(command, mapping) + _model_sections(command, mapping)
    else:
        sections += _folder_sections(command)
    sections.append("examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[command]))
    return "\n\n".join(sections)


def resolved_config(command: str, overrides: list[str]) -> str:
    """``kzsim <command> --cfg``: the configuration it would compose, as YAML; runs nothing.

    The model part is validated as the command validates it (a bad key or value is one
    ``kzsim: error:`` line); the command's own settings group(s) follow.
    """
    from kzsim.configuration import compose_mapping, split
    from kzsim.store import dump_config
    from sim.config import SimConfig, from_mapping
    from sim.schema import field_names

    model, edge = split(compose_mapping(preset(command)(overrides)))
    from_mapping(model)
    order = field_names(SimConfig)               # name, turns, runs, ... as config.yaml has them
    shown = {k: model[k] for k in sorted(model, key=lambda k: (k not in order, order.index(k)
                                                                if k in order else 0))}
    for group, _, _, only in SETTINGS.get(command, []):
        shown[group] = {k: v for k, v in edge[group].items() if only is None or k in only}
    return dump_config(shown)
