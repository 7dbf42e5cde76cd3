"""``kzsim sweep -m ...``: Hydra multirun, so a launcher plugin can spread a sweep's shards.

Locally (joblib plugin, installed with kzsim)::

    kzsim sweep -m experiment=sanctions_lhs sweep.shards=8 'sweep.shard=range(0,8)' hydra/launcher=joblib

On a SLURM cluster (``pip install hydra-submitit-launcher``)::

    kzsim sweep -m experiment=sanctions_lhs sweep.shards=64 'sweep.shard=range(0,64)' \\
        hydra/launcher=submitit_slurm hydra.launcher.timeout_min=60 out=/shared/results/lhs

Every job runs one shard into the same results folder; shards split the chunks by index, so
together they store exactly the rows of a one-process sweep. Each job uses one worker process
unless ``sweep.workers`` says otherwise. Any job can be re-run; finished chunks are skipped.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import configs
from experiments.sweep_command import prepare, report
from sim.errors import ConfigError
from sim.sweep import run_sweep


def _task(cfg) -> None:
    from omegaconf import OmegaConf

    mapping = OmegaConf.to_container(cfg, resolve=True)
    mapping.pop("hydra", None)
    try:
        model, settings, out = prepare(mapping)
        if settings.workers is None:
            settings = dataclasses.replace(settings, workers=1)
        summary = run_sweep(model, settings, out, quiet=True)
    except ConfigError as err:
        print(f"kzsim: error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"[shard {settings.shard}/{settings.shards}] " + report(summary), flush=True)


def multirun(overrides: list[str]) -> int:
    """Hand the overrides to Hydra's multirun machinery with kzsim's configs."""
    import hydra

    main = hydra.main(config_path=str(Path(configs.__file__).parent), config_name="config",
                      version_base="1.3")(_task)
    argv = sys.argv
    sys.argv = ["kzsim-sweep", "--multirun", *overrides]
    try:
        main()
    finally:
        sys.argv = argv
    return 0
