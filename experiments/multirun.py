r"""``kzsim sweep -m ...``: Hydra multirun, so a launcher plugin can spread a sweep's shards.

Locally (joblib plugin, installed with kzsim)::

    kzsim sweep -m experiment=sanctions_lhs sweep.shards=8 'sweep.shard=range(0,8)' \
        hydra/launcher=joblib

On a SLURM cluster (``pip install hydra-submitit-launcher``)::

    kzsim sweep -m experiment=sanctions_lhs sweep.shards=64 'sweep.shard=range(0,64)' \
        hydra/launcher=submitit_slurm hydra.launcher.timeout_min=60 out=/shared/results/lhs

Every job runs one shard into the same results folder; shards split the chunks by index, so
together they store exactly the rows of a one-process sweep. Each job uses one worker process
unless ``sweep.workers`` says otherwise. Any job can be re-run; finished chunks are skipped.

Before Hydra runs anything, every override is checked: no ``_target_`` anywhere, no command-line
options (``--config-dir``, ``--experimental-rerun`` ...), and of Hydra's own settings only the
launcher, sweeper, sweep and run folders (Hydra instantiates or imports what ``hydra.callbacks``,
``hydra.job_logging`` or a search path names). Then the first job's configuration is composed
and validated like ``kzsim sweep`` does, so a bad key or design is one line and exit 2.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from kzsim import configs
from kzsim.configuration import GROUPS, compose_mapping, group_options
from kzsim.sweep_command import prepare, report, run
from sim.errors import ConfigError


def _task(cfg) -> None:
    from omegaconf import OmegaConf

    mapping = OmegaConf.to_container(cfg, resolve=True)
    mapping.pop("hydra", None)
    try:
        model, settings, _ = prepare(mapping)
        if settings.workers is None:
            settings = dataclasses.replace(settings, workers=1)
        summary = run(model, settings, quiet=True)  # the output-folder rule, as kzsim sweep
    except ConfigError as err:
        print(f"kzsim: error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"[shard {settings.shard}/{settings.shards}] " + report(summary), flush=True)


HYDRA_ALLOWED = ("hydra/launcher", "hydra/sweeper", "hydra.launcher.", "hydra.sweeper.",
                 "hydra.sweep.", "hydra.run.", "hydra.job.chdir", "hydra.job.name",
                 "hydra.output_subdir", "hydra.verbose")
HYDRA_REFUSED = ("hydra.sweeper.params",)  # parsed as more overrides, past these checks
ALLOWED_TEXT = ("sweep -m takes kzsim's key=value overrides (sweeps as a=1,2 or range(0,8)) and, "
                "of Hydra's settings, only hydra/launcher=, hydra/sweeper=, hydra.launcher.*, "
                "hydra.sweeper.*, hydra.sweep.*, hydra.run.*, hydra.job.chdir, hydra.job.name, "
                "hydra.output_subdir and hydra.verbose")


def multirun(overrides: list[str]) -> int:
    """Check the overrides, then hand them to Hydra's multirun machinery with kzsim's configs.

    Bad or unsafe overrides print one ``kzsim: error:`` line and return 2 before Hydra starts.
    """
    overrides = [o for o in overrides if o not in ("-q", "--quiet")]  # jobs are always quiet
    try:
        validate(overrides)
    except ConfigError as err:
        print(f"kzsim: error: {err}", file=sys.stderr)
        return 2
    import hydra

    from kzsim.configuration import register_generated_groups
    register_generated_groups()
    main = hydra.main(config_path=str(Path(configs.__file__).parent), config_name="config",
                      version_base="1.3")(_task)
    argv = sys.argv
    sys.argv = ["kzsim-sweep", "--multirun", *overrides]
    try:
        main()
    finally:
        sys.argv = argv
    return 0


def validate(overrides: list[str]) -> None:
    """Refuse unsafe overrides; compose and check the first job's configuration.

    Raises :class:`~sim.errors.ConfigError` (one line) for a command-line option, any
    ``_target_``, a Hydra setting outside the launcher/sweeper/sweep/run folders (such as
    ``hydra.callbacks``), an unreadable override, or a configuration ``kzsim sweep`` refuses.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    parsed = []
    for text in overrides:
        if text.startswith("-"):
            raise ConfigError(f"option '{_cut(text)}' is not allowed; kzsim {ALLOWED_TEXT}")
        if "_target_" in text:
            raise ConfigError(f"override '{_cut(text)}' names '_target_', which is not allowed "
                              f"(Hydra would import and call it); kzsim {ALLOWED_TEXT}")
        try:
            override = parser.parse_overrides([text])[0]
        except HydraException:
            raise ConfigError(f"cannot read override '{_cut(text)}': write key=value, e.g. "
                              "sanctions.intensity=0.8, or a sweep such as "
                              "'sweep.shard=range(0,8)'") from None
        _check_hydra(override, text)
        parsed.append(override)
    has_sweeper = any(o.key_or_group == "hydra/sweeper" for o in parsed)
    trial = [_first_job(o, text, has_sweeper) for o, text in zip(parsed, overrides, strict=True)
             if not o.key_or_group.startswith("hydra")]
    prepare(compose_mapping(trial))


def _check_hydra(override, text: str) -> None:
    key, package = override.key_or_group, override.package or ""
    if package.startswith("hydra") or package.startswith("_global_.hydra"):
        raise ConfigError(f"override '{_cut(text)}' places a config under hydra, which is not "
                          f"allowed; kzsim {ALLOWED_TEXT}")
    if not key.startswith("hydra"):
        return
    if key != "hydra" and key.startswith(HYDRA_ALLOWED) and not key.startswith(HYDRA_REFUSED):
        if "${" in text:
            raise ConfigError(f"override '{_cut(text)}' uses an interpolation ${{...}} in a Hydra "
                              f"setting, which is not allowed; write the value itself")
        return
    what = ("hydra.callbacks" if key.startswith(("hydra.callbacks", "hydra/callbacks"))
            else key)
    raise ConfigError(f"override '{_cut(text)}' sets {what}, which is not allowed (Hydra would "
                      "import or run what it names); kzsim " + ALLOWED_TEXT)


def _first_job(override, text: str, has_sweeper: bool) -> str:
    """Rewrite the override as the first job of the sweep sees it (a sweep's first value)."""
    from hydra.core.override_parser.types import ValueType

    if not override.is_sweep_override():
        return text
    key = override.get_key_element()
    if override.value_type == ValueType.INTERVAL_SWEEP:
        if not has_sweeper:
            raise ConfigError(f"'{_cut(text)}': interval() sweeps need a sweeper plugin "
                              "(hydra/sweeper=...); the basic sweeper takes a=1,2,3, "
                              "choice(...), range(...) and glob(...)")
        return f"{key}={override.value().start}"
    if override.value_type == ValueType.GLOB_CHOICE_SWEEP:
        if override.key_or_group not in GROUPS:
            raise ConfigError(f"'{_cut(text)}': glob() sweeps only config groups "
                              f"({', '.join(GROUPS)})")
        options = group_options(override.key_or_group)
        matches = override.value().filter(options)
        if not matches:
            raise ConfigError(f"'{_cut(text)}' matches no {override.key_or_group} option; "
                              f"valid choices: {', '.join(options)}")
        return f"{key}={matches[0]}"
    first = next(iter(override.sweep_string_iterator()), None)
    if first is None:
        raise ConfigError(f"sweep '{_cut(text)}' has no values; e.g. range(0,8) or a=1,2")
    return f"{key}={first}"


def _cut(text: str) -> str:
    """Quote the user's override on one line: control characters escaped, at most 80 long."""
    text = text if len(text) <= 80 else text[:77] + "..."
    return text.encode("unicode_escape").decode("ascii")
