"""``kzsim run [overrides]``: simulate, store trajectories and config, draw, summarise."""

from __future__ import annotations

from pathlib import Path

from experiments.configuration import compose_config
from experiments.plots import alignment_over_time, alignment_ternary
from experiments.store import CONFIG_FILE, check_target, dump_config, read_parquet, staged, write_parquet
from experiments.summary import summary_table
from sim.api import run
from sim.schema import to_dict
from sim.streams import run_seeds

TRAJECTORIES = "trajectories.parquet"


def output_folder(cfg) -> Path:
    """``out`` if given, else ``results/<name>``."""
    return Path(cfg.out) if cfg.out else Path("results") / cfg.name


def run_command(overrides: list[str]) -> int:
    """Validate everything, then simulate and write; nothing is written on bad input."""
    cfg = compose_config(overrides)
    out = output_folder(cfg)
    config_text = dump_config(to_dict(cfg))
    check_target(out, config_text)
    seeds = run_seeds(cfg.seed, cfg.runs)
    traj = run(cfg, seeds)
    title = (f"{cfg.name}: design {cfg.sanctions.name}, Russia {cfg.policy.rus}, "
             f"Kazakhstan {cfg.policy.kaz}")
    with staged(out) as tmp:
        (tmp / CONFIG_FILE).write_text(config_text)
        write_parquet(traj, tmp / TRAJECTORIES)
        stored = read_parquet(tmp / TRAJECTORIES)
        alignment_over_time(stored, tmp / "alignment.png", title)
        alignment_ternary(stored, tmp / "ternary.png", title)
        table = summary_table(stored)
        (tmp / "summary.txt").write_text(table + "\n")
    if not cfg.quiet:
        print(table)
    print(f"wrote {out}/ ({TRAJECTORIES}, {CONFIG_FILE}, alignment.png, ternary.png, summary.txt)")
    return 0
