"""The ``kzsim`` command: ``kzsim <command> [key=value ...]`` with Hydra-style overrides.

Bad input exits with status 2 and one line naming the problem and the valid choices.
"""

from __future__ import annotations

import sys

from sim.errors import ConfigError

USAGE = """usage: kzsim <command> [-q] [key=value ...]

commands:
  run     simulate runs of one configuration; write trajectories, config, figures, summary
  sweep   sweep sanctions calibrations (experiment=<name>); resumable; -m for Hydra multirun
  compare paired comparison of designs (designs=[a,b,...]) with intervals and Pareto fronts
  report  report.html (self-contained) and report.md for a results folder of sweep or compare
  sensitivity  Sobol and Morris indices (experiment=sobol_sanctions) through the batched runner
  discover     lever ranges that make a target likely: kzsim discover <folder> target=captured_east
  calibrate    fit uncertain parameters to the observed 2022 levels (replay of 2022's events)
  hindcast     replay 2021-2025 with the 2022-2024 events: hindcast.csv and hindcast.png

examples:
  kzsim run
  kzsim run sanctions=calibrated policy.rus=tit_for_tat turns=60 runs=50 seed=1 out=results/try
  kzsim run mechanisms.M4=false sanctions.intensity=0.9 -q
  kzsim sweep experiment=sanctions_grid
  kzsim compare designs=[status_quo_2022,calibrated,secondary_crackdown] compare.replications=100
  kzsim report results/sanctions_grid
  kzsim sweep experiment=sanctions_lhs sweep.samples=500 sweep.replications=20 out=results/lhs

Every command accepts out=<folder> (default results/<name>)."""


def _commands():
    from experiments.run_command import run_command
    from experiments.compare_command import compare_command
    from experiments.discover_command import discover_command
    from experiments.replay_commands import calibrate_command, hindcast_command
    from experiments.report import report_command
    from experiments.sensitivity_command import sensitivity_command
    from experiments.sweep_command import sweep_command

    return {"run": run_command, "sweep": sweep_command, "compare": compare_command,
            "report": report_command, "sensitivity": sensitivity_command,
            "discover": discover_command, "calibrate": calibrate_command,
            "hindcast": hindcast_command}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kzsim`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    commands = _commands()
    command, rest = args[0], args[1:]
    if command not in commands:
        print(f"kzsim: error: unknown command '{command}'; valid commands: "
              f"{', '.join(commands)}", file=sys.stderr)
        return 2
    if command == "sweep" and ("-m" in rest or "--multirun" in rest):
        from experiments.multirun import multirun

        return multirun([a for a in rest if a not in ("-m", "--multirun")])
    if "-q" in rest or "--quiet" in rest:
        rest = [a for a in rest if a not in ("-q", "--quiet")] + ["quiet=true"]
    try:
        return commands[command](rest)
    except ConfigError as err:
        print(f"kzsim: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kzsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
