"""The ``kzsim`` command: ``kzsim <command> [key=value ...]`` with Hydra-style overrides.

Bad input exits with status 2 and one line naming the problem and the valid choices.
"""

from __future__ import annotations

import errno
import io
import os
import sys

from sim.errors import ConfigError
from sim.resources import free_disk

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
    from kzsim.run_command import run_command
    from kzsim.compare_command import compare_command
    from kzsim.discover_command import discover_command
    from kzsim.replay_commands import calibrate_command, hindcast_command
    from kzsim.report import report_command
    from kzsim.sensitivity_command import sensitivity_command
    from kzsim.sweep_command import sweep_command

    return {"run": run_command, "sweep": sweep_command, "compare": compare_command,
            "report": report_command, "sensitivity": sensitivity_command,
            "discover": discover_command, "calibrate": calibrate_command,
            "hindcast": hindcast_command}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kzsim`` console script.

    Returns the exit status: 0 on success, 2 for bad input or an environment fault (one
    ``kzsim: error:`` line on stderr, no traceback), 130 when interrupted. When stdout is
    closed early (``kzsim ... | head -1``) it stops quietly, as the Python documentation
    recommends for SIGPIPE.
    """
    try:
        status = _main(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _silence_stdout()
        return 1


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _main(args: list[str]) -> int:
    if not args:
        print(USAGE, file=sys.stderr)
        return 2
    if args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    commands = _commands()
    command, rest = args[0], args[1:]
    if command not in commands:
        print(f"kzsim: error: unknown command '{command}'; valid commands: "
              f"{', '.join(commands)}", file=sys.stderr)
        return 2
    if "-h" in rest or "--help" in rest:
        print(USAGE)
        return 0
    if command == "sweep" and ("-m" in rest or "--multirun" in rest):
        from kzsim.multirun import multirun

        return multirun([a for a in rest if a not in ("-m", "--multirun")])
    if "-q" in rest or "--quiet" in rest:
        rest = [a for a in rest if a not in ("-q", "--quiet")] + ["quiet=true"]
    try:
        return commands[command](rest)
    except ConfigError as err:
        return _error(str(err))
    except KeyboardInterrupt:
        print("kzsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except MemoryError:
        return _error(f"kzsim {command} ran out of memory; ask for fewer runs (a smaller runs=, "
                      "replications or samples)")
    except OSError as err:
        return _error(os_error_message(err))


def _error(message: str) -> int:
    print(f"kzsim: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


def os_error_message(err: OSError) -> str:
    """One line for a file-system fault: which file, what went wrong, what to do."""
    name = err.filename if err.filename is not None else "the output"
    reason = err.strerror or "it failed"
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        where = err.filename if err.filename is not None else "."
        try:
            free = f"{free_disk(os.fsdecode(where)) / 1e6:,.0f} MB free there"
        except (OSError, ValueError, TypeError):
            free = "free space unknown"
        return f"cannot write {name}: the disk is full ({free}); free space or choose another out="
    return f"cannot write {name}: {reason}; choose another out= or free space"


if __name__ == "__main__":
    sys.exit(main())
