"""``kzsim run [overrides]``: simulate, store trajectories and config, draw, summarise."""

from __future__ import annotations

import io

from kzsim.configuration import compose_config
from kzsim.plots import alignment_over_time, alignment_ternary
from kzsim.store import CONFIG_FILE, dump_config, results_folder
from kzsim.summary import summary_table
from sim.api import run
from sim.inference.ensemble import identity_of
from sim.resources import check_trajectories
from sim.schema import to_dict
from sim.streams import run_seeds

TRAJECTORIES = "trajectories.parquet"


def _png(draw, traj, title: str, config: dict) -> bytes:
    """PNG bytes of a run figure (the drawing functions save to any writable target)."""
    buf = io.BytesIO()
    draw(traj, buf, title, config)
    return buf.getvalue()


def run_command(overrides: list[str]) -> int:
    """Validate everything, claim the folder, then simulate and write each file atomically."""
    cfg = compose_config(overrides)
    check_trajectories(cfg.runs, cfg.turns,
                       detail=f"every run's {cfg.turns} months are kept in memory")
    mapping = to_dict(cfg)
    seeds = run_seeds(cfg.seed, cfg.runs)
    title = (f"{cfg.name}: design {cfg.sanctions.name}, Russia {cfg.policy.rus}, "
             f"Kazakhstan {cfg.policy.kaz}")
    with results_folder("run", mapping, ensemble=identity_of(cfg)) as folder:
        traj = run(cfg, seeds)
        folder.write_text(CONFIG_FILE, dump_config(mapping))
        folder.write_frame(TRAJECTORIES, traj)
        folder.write("alignment.png", _png(alignment_over_time, traj, title, mapping))
        folder.write("ternary.png", _png(alignment_ternary, traj, title, mapping))
        table = summary_table(traj)
        folder.write_text("summary.txt", table + "\n")
        folder.complete()
    if not cfg.quiet:
        print(table)
    print(f"wrote {folder.out}/ ({TRAJECTORIES}, {CONFIG_FILE}, alignment.png, ternary.png, "
          "summary.txt)")
    return 0
