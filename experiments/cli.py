"""The ``kzsim`` command: ``kzsim <command> [options] [key=value ...]``.

Each command is an :mod:`argparse` subcommand that reads its options (``-h``, ``-q``,
``--cfg``, and ``-m`` for ``sweep``); everything else is a Hydra-style ``key=value`` override.
``kzsim <command> --help`` shows the command's settings with their defaults, read from the
configuration and the settings' specs (:mod:`kzsim.command_help`).

Starting is fast: only the chosen command's module is imported, and only when it runs, so
``kzsim --help`` imports none of Mesa, pandas, matplotlib or Hydra. Bad input exits with
status 2 and one line naming the problem and the valid choices.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import signal
import sys
import threading
from collections.abc import Callable
from importlib import import_module
from typing import NoReturn

from sim.errors import ConfigError
from sim.resources import free_disk

# name: (module, function, one-line summary); a module is imported only when its command runs
COMMANDS = {
    "run": ("kzsim.run_command", "run_command",
            "simulate runs of one configuration; write trajectories, config, figures, summary"),
    "sweep": ("kzsim.sweep_command", "sweep_command",
              "sweep sanctions calibrations (experiment=<name>); resumable; -m for Hydra multirun"),
    "compare": ("kzsim.compare_command", "compare_command",
                "paired comparison of designs (designs=[a,b,...]) with intervals and Pareto "
                "fronts"),
    "report": ("kzsim.report", "report_command",
               "report.html (self-contained) and report.md for a results folder"),
    "sensitivity": ("kzsim.sensitivity_command", "sensitivity_command",
                    "Sobol and Morris indices (experiment=sobol_sanctions) through the batched "
                    "runner"),
    "discover": ("kzsim.discover_command", "discover_command",
                 "lever ranges that make a target likely: kzsim discover <folder> "
                 "target=captured_east"),
    "calibrate": ("kzsim.replay_commands", "calibrate_command",
                  "fit uncertain parameters to the observed 2022 levels (replay of 2022's events)"),
    "fit": ("kzsim.fit_command", "fit_command",
            "the evidence fit: ABC-SMC posterior of the 2022 replay against trade and UN votes"),
    "hindcast": ("kzsim.replay_commands", "hindcast_command",
                 "replay 2021-2025 with the 2022-2025 events: hindcast.csv and hindcast.png"),
    "optimize": ("kzsim.optimize_command", "optimize_command",
                 "search the design fields for the robust non-dominated designs (NSGA-II)"),
    "explore": ("kzsim.explore_command", "explore_command",
                "a local web app: look at stored results, or try designs live (the [explore] "
                "extra)"),
}
# commands that read a results folder and take their own key=value options (no --cfg)
FOLDER_COMMANDS = {
    "report": "kzsim report [-h] [-q] <results folder> [out=<folder>]",
    "discover": ("kzsim discover [-h] [-q] <results folder> target=<preset or condition>\n"
                 "       [max_depth=<n>] [min_leaf=<share>] [out=<folder>]"),
    "explore": "kzsim explore [-h] [-q] [<results folder>] [port=8501] [host=127.0.0.1] [runs=100]",
}
EXAMPLES = (
    "kzsim run",
    "kzsim run sanctions=calibrated policy.rus=tit_for_tat turns=60 runs=50 seed=1 out=results/try",
    "kzsim run mechanisms.M4=false sanctions.intensity=0.9 -q",
    "kzsim run --cfg sanctions=calibrated",
    "kzsim sweep experiment=sanctions_grid",
    "kzsim compare designs=[status_quo_2022,calibrated,secondary_crackdown] "
    "compare.replications=100",
    "kzsim report results/sanctions_grid",
    "kzsim sweep experiment=sanctions_lhs sweep.samples=500 sweep.replications=20 out=results/lhs",
)
OPTIONS = (
    ("-h, --help", "the command's usage, settings with their defaults, and examples"),
    ("-q, --quiet", "print less (the same as quiet=true)"),
    ("--cfg", "print the resolved configuration as YAML and exit; nothing runs or is written"),
    ("-m, --multirun", "sweep only: Hydra multirun, so a launcher plugin spreads the shards"),
)


def _usage() -> str:
    width = max(len(name) for name in COMMANDS) + 2
    lines = ["usage: kzsim <command> [-h] [-q] [--cfg] [key=value ...]", "",
             "Kazakhstan between Russia, China, the US and the EU: an agent-based simulation.",
             "", "commands:"]
    lines += [f"  {name:{width}s} {summary}" for name, (_, _, summary) in COMMANDS.items()]
    lines += ["", "options (after the command):"]
    lines += [f"  {flag:16s} {text}" for flag, text in OPTIONS]
    lines += ["", "examples:"] + [f"  {line}" for line in EXAMPLES]
    lines += ["", "kzsim <command> --help lists the command's settings and their defaults; every "
              "command", "that writes results takes out=<folder>."]
    return "\n".join(lines)


USAGE = _usage()


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one ``kzsim: error:`` line (exit 2), not a usage block."""

    def error(self, message: str) -> NoReturn:
        """Raise :class:`ConfigError` instead of printing usage and exiting."""
        raise ConfigError(f"{self.prog}: {message} ({self.prog} --help lists the options)")


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=30, width=100)


def build_parsers() -> dict[str, _Parser]:
    """One argparse subcommand parser per command (their settings are added by ``--help``)."""
    top = _Parser(prog="kzsim", add_help=False, allow_abbrev=False)
    subcommands = top.add_subparsers(dest="command", metavar="<command>", parser_class=_Parser)
    parsers = {}
    for name, (_, _, summary) in COMMANDS.items():
        parser = subcommands.add_parser(
            name, prog=f"kzsim {name}", help=summary, description=f"{summary}.",
            usage=FOLDER_COMMANDS.get(name), add_help=False, allow_abbrev=False,
            formatter_class=_formatter)
        if name in FOLDER_COMMANDS:
            parser.add_argument("args", nargs="*", metavar="<results folder> key=value",
                                help="the results folder, then the options below")
        else:
            parser.add_argument("args", nargs="*", metavar="key=value",
                                help="Hydra-style overrides of the settings below")
        parser.add_argument("-h", "--help", action="store_true", help=OPTIONS[0][1])
        parser.add_argument("-q", "--quiet", action="store_true", help=OPTIONS[1][1])
        if name not in FOLDER_COMMANDS:
            parser.add_argument("--cfg", action="store_true", help=OPTIONS[2][1])
        if name == "sweep":
            parser.add_argument("-m", "--multirun", action="store_true",
                                help="Hydra multirun: a launcher plugin spreads the shards "
                                     "(kzsim.multirun)")
        parsers[name] = parser
    return parsers


def _lazy(module: str, function: str) -> Callable[[list[str]], int]:
    def command(args: list[str]) -> int:
        return getattr(import_module(module), function)(args)

    command.__name__ = function
    return command


def _commands() -> dict[str, Callable[[list[str]], int]]:
    """Each command's function; its module is imported only when the command runs."""
    return {name: _lazy(module, function) for name, (module, function, _) in COMMANDS.items()}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kzsim`` console script.

    Returns the exit status: 0 on success, 2 for bad input or an environment fault (one
    ``kzsim: error:`` line on stderr, no traceback), 130 when interrupted. When stdout is
    closed early (``kzsim ... | head -1``) it stops quietly, as the Python documentation
    recommends for SIGPIPE.
    """
    previous = _catch_sigterm()
    try:
        status = _main(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _silence_stdout()
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM arrived (e.g. a scheduler ending the job); stop like Ctrl-C, with one line."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated


def _catch_sigterm():
    """Turn SIGTERM into :class:`Terminated` (main thread only); return the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_terminated)


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
    if args[0] == "help" and len(args) > 1 and args[1] in COMMANDS:
        args = [args[1], "--help"]          # kzsim help run == kzsim run --help
    if args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    commands = _commands()
    command, rest = args[0], args[1:]
    if command not in commands:
        if command.startswith("-"):
            return _error(f"unknown option '{command}' before the command; write kzsim <command> "
                          f"[options] [key=value ...]; valid commands: {', '.join(commands)}")
        return _error(f"unknown command '{command}'; valid commands: {', '.join(commands)}")
    try:
        return _dispatch(command, rest, commands)
    except ConfigError as err:
        return _error(str(err))
    except KeyboardInterrupt:
        print("kzsim: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("kzsim: terminated; finished work is kept, run the same command again to resume",
              file=sys.stderr)
        return 143
    except BrokenPipeError:
        raise
    except MemoryError:
        return _error(f"kzsim {command} ran out of memory; ask for fewer runs (a smaller runs=, "
                      "replications or samples)")
    except OSError as err:
        return _error(os_error_message(err))


def _dispatch(command: str, rest: list[str], commands: dict) -> int:
    """Read the options, then show help, print the configuration, or run the command."""
    parser = build_parsers()[command]
    opts, unknown = parser.parse_known_intermixed_args(rest)
    if opts.help:
        from kzsim.command_help import command_help

        print(command_help(command, parser))
        return 0
    if getattr(opts, "multirun", False):
        if opts.cfg:
            raise ConfigError("--cfg prints one configuration and -m sweeps many; leave out -m "
                              "(and give one value per setting) to see a configuration")
        from kzsim.multirun import multirun

        return multirun(opts.args + unknown)   # multirun refuses any option it does not know
    if unknown:
        first = next((a for a in unknown if a.startswith("-")), unknown[0])
        takes = ("a results folder and key=value options" if command in FOLDER_COMMANDS else
                 "--cfg" + (", -m" if command == "sweep" else "") + " and key=value overrides")
        raise ConfigError(f"unknown option '{first}'; kzsim {command} takes -h, -q, {takes} "
                          f"(kzsim {command} --help lists them)")
    args = opts.args + (["quiet=true"] if opts.quiet else [])
    if getattr(opts, "cfg", False):
        from kzsim.command_help import resolved_config

        print(resolved_config(command, args), end="")
        return 0
    return commands[command](args)


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
