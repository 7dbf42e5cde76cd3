"""Start-up benchmark of the ``kzsim`` command: median wall times of fresh processes.

Run ``python -m kzsim.benchmark_startup [--repeat 5] [--command "kzsim"]``. Each case runs
``--repeat`` times in a new process (after one untimed warm-up for the file cache); results go
to a temporary folder that is removed afterwards. ``--command`` times another installation,
e.g. ``--command "python -m kzsim.cli"`` with ``PYTHONPATH`` pointing at an older checkout.

Targets (issue 9, on the 2-core development machine): ``kzsim --help`` under 0.2 s and a one-run
default ``kzsim run`` under 1.2 s. Measured there (``python -m kzsim.cli``, Python 3.11, median of
7, old and new alternating, while other work kept the load near 2.5) before and after the
commands were imported lazily:

=========================================  ======  =====
command                                    before  after
=========================================  ======  =====
kzsim --help                               0.84 s  0.03 s
kzsim run --help                           1.92 s  0.44 s
kzsim run turns=12 -q out=<tmp>            2.99 s  2.24 s
kzsim run out=<tmp> (one run, 120 months)  3.12 s  2.42 s
=========================================  ======  =====

``kzsim run`` misses its target: what it does needs about 2 s here. Imports it needs take about
1.0 s (pandas and numpy 0.4 s, Mesa 0.25 s of which SciPy's spatial module, imported by Mesa
itself, is most; matplotlib 0.23 s; Hydra 0.1 s), Hydra's composition 0.2 s, the 120-month
simulation 0.1 s, and the two figures 0.45-0.65 s (the ternary's ``legend(loc="best")``
search alone about 0.15 s). The help text of a command (``kzsim run --help``) composes the
default configuration to show the defaults, so it costs Hydra's import and composition.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.errors import ConfigError

# (label, arguments; {out} becomes a fresh folder under the temporary directory, target seconds)
CASES = (
    ("kzsim --help", ["--help"], 0.2),
    ("kzsim run --help", ["run", "--help"], None),
    ("kzsim run turns=12 -q out=<tmp>", ["run", "turns=12", "-q", "out={out}"], None),
    ("kzsim run out=<tmp> (one run, 120 months)", ["run", "out={out}"], 1.2),
)


def default_command() -> list[str]:
    """The installed ``kzsim`` script next to this Python, else ``python -m kzsim.cli``."""
    script = Path(sys.executable).with_name("kzsim")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "kzsim.cli"]


def time_once(argv: list[str], cwd: str) -> float:
    """Wall time of one run of ``argv`` in a new process; a failure is a :class:`ConfigError`."""
    start = time.perf_counter()
    res = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, check=False)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        last = (res.stderr.strip().splitlines() or ["no message"])[-1]
        raise ConfigError(f"'{shlex.join(argv)}' exited with {res.returncode}: {last}")
    return elapsed


def measure(command: list[str], repeat: int) -> list[tuple[str, list[float], float | None]]:
    """Each case's wall times over ``repeat`` fresh processes."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="kzsim-startup-") as tmp:
        time_once([*command, "--help"], tmp)                      # warm the file cache
        for n, (label, args, target) in enumerate(CASES):
            times = []
            for i in range(repeat):
                out = os.path.join(tmp, f"case{n}-{i}")
                times.append(time_once([*command, *(a.format(out=out) for a in args)], tmp))
            rows.append((label, times, target))
    return rows


def table(rows: list[tuple[str, list[float], float | None]]) -> str:
    """The printed table: median, fastest and slowest run, and the target if there is one."""
    width = max(len(label) for label, _, _ in rows)
    lines = [f"{'command':{width}s}  {'median':>7s}  {'min':>7s}  {'max':>7s}  target"]
    for label, times, target in rows:
        median = statistics.median(times)
        verdict = "" if target is None else (f"< {target:.1f} s "
                                             + ("met" if median < target else "missed"))
        lines.append(f"{label:{width}s}  {median:6.2f}s  {min(times):6.2f}s  {max(times):6.2f}s"
                     f"  {verdict}")
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise ConfigError(message)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table; bad options are one ``kzsim: error:`` line, exit 2."""
    parser = _Parser(prog="python -m kzsim.benchmark_startup",
                     description="Median wall times of kzsim start-up in fresh processes.")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--command", default=None,
                        help="the kzsim command to time (default: the installed kzsim)")
    try:
        opts = parser.parse_args(argv)
        if not 1 <= opts.repeat <= 1000:
            raise ConfigError(f"--repeat={opts.repeat} is out of range; valid range is [1, 1000]")
        command = shlex.split(opts.command) if opts.command else default_command()
        if not command:
            raise ConfigError("--command is empty; give the kzsim command to time")
        print(f"{shlex.join(command)}: median of {opts.repeat} fresh processes "
              f"({os.cpu_count()} cores, Python {sys.version.split()[0]})")
        print(table(measure(command, opts.repeat)))
    except (ConfigError, OSError) as err:
        print(f"kzsim: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
