"""Every command: bad input gives one ``kzsim: error:`` line naming the key, exit 2, no files.

Each case runs in-process through :func:`kzsim.cli.main` from an empty ``tmp_path`` with
``out=<tmp_path>/x``; afterwards ``tmp_path`` must still be empty. Cases marked ``LOW`` run
with the memory the resource checks see lowered to 2 GB, so that the refusal does not depend
on the machine.
"""

from __future__ import annotations

import errno
import re
import subprocess
import sys

import pytest

from kzsim import cli

LOW = "low memory"
GRID_ONE_POINT = ["experiment=sanctions_grid", "sweep.grid.sanctions.intensity=[0.5]",
                  "sweep.grid.sanctions.secondary_enforcement=[0.5]",
                  "sweep.grid.sanctions.compensation=[0.5]"]
SENS = ["experiment=sobol_sanctions", "turns=12"]
CLASS_NAME = re.compile(r"\b[A-Z]\w*(Error|Exception)\b|Traceback")

# (command line, fragments the message must contain (the key as the user wrote it first), LOW?)
CASES = [
    # run
    (["run", "sanctions..intensity=0.5"], ["'sanctions..intensity=0.5'", "unexpected character"]),
    (["run", "-x"], ["'-x'", "key=value"]),
    (["run", "sanctions.intensity=[0.5"], ["'sanctions.intensity=[0.5'"]),
    (["run", "sanctions.intensity==0.5"], ["'sanctions.intensity==0.5'", "unexpected '='"]),
    (["run", "sanctions.intensity=0.5)"], ["'sanctions.intensity=0.5)'", "unexpected ')'"]),
    (["run", "=0.5"], ["'=0.5'", "names no key"]),
    (["run", "turns=1e308"], ["turns=1e+308 is out of range", "[1, 1200]"]),
    (["run", "name=../../escape_run"], ["name='../../escape_run'", "plain folder name"]),
    (["run", "name=" + "A" * 300], ["name='AAAA", "at most 100 characters"]),
    (["run", "turns=12", "runs=10000000"], ["runs=10,000,000 needs about", "GB of memory",
                                            "the largest runs that fits is"]),
    (["run", "runs=2.5"], ["runs must be a whole number"]),
    (["run", "sanctions.intensityy=0.5"], ["'sanctions.intensityy'", "intensity"]),
    (["run", "policy.rus=nice"], ["'nice'", "tit_for_tat"]),
    # sweep
    (["sweep", "experiment=sanctions_lhs", "sweep.design=fancy"], ["sweep.design", "grid, lhs"]),
    (["sweep", "experiment=sanctions_lhs", "sweep.replications=0"], ["sweep.replications=0"]),
    (["sweep", "experiment=sanctions_lhs", "sweep.ranges.sanctions.intensity=[1,0]"],
     ["sweep.ranges.sanctions.intensity must be [low, high]"]),
    (["sweep", "experiment=sanctions_lhs", "name=../../escape_run"], ["name='../../escape_run'"]),
    (["sweep", *GRID_ONE_POINT, "sweep.replications=1000000"],
     ["sweep.replications=1,000,000 needs about", "whole points"], LOW),
    (["sweep", "experiment=sanctions_lhs", "sweep.design=sobol", "sweep.samples=10000000"],
     ["sweep.samples=10,000,000 needs about", "the largest sweep.samples that fits"], LOW),
    # compare
    (["compare", "compare.replications=0"], ["compare.replications=0"]),
    (["compare", "compare.uncertainty_samples=2", "compare.uncertainty.params.M1.resentment=[5,1]"],
     ["compare.uncertainty.params.M1.resentment must be [low, high]"]),
    (["compare", "compare.replications=1000000"], ["compare.replications=1,000,000 needs"], LOW),
    (["compare", "compare.reference=nope"], ["compare.reference 'nope'"]),
    # calibrate
    *[(["calibrate", f"calibration.candidates={v}"], ["calibration.candidates"])
      for v in ("abc", "0", "-5", "[1,2]", "1e308", "12.7")],
    (["calibrate", "calibration.replications=0"], ["calibration.replications=0"]),
    (["calibrate", "calibration.refine=-1"], ["calibration.refine=-1"]),
    (["calibrate", "calibration.targets=nope"], ["calibration.targets", "kz2022"]),
    (["calibrate", "calibration.candidates=10000000"], ["calibration.candidates=10,000,000 needs",
                                                        "replications"]),
    # hindcast
    *[(["hindcast", "runs=5", f"hindcast.last_year={v}"], ["hindcast.last_year"])
      for v in ("abc", "[2025]", "2022.7", "2031")],
    (["hindcast", "runs=5", "calibration.targets=nope"], ["calibration.targets", "kz2022"]),
    (["hindcast", "runs=1000000"], ["runs=1,000,000 needs about", "48 months"]),
    # sensitivity
    (["sensitivity", *SENS, "sensitivity.outcomes=[]"], ["sensitivity.outcomes is empty"]),
    (["sensitivity", *SENS, "sensitivity.outcomes=[nope]"], ["sensitivity.outcomes", "'nope'",
                                                             "final_align_west"]),
    (["sensitivity", *SENS, "sensitivity.outcomes=final_align_west"],
     ["sensitivity.outcomes must be a list"]),
    (["sensitivity", *SENS, "sensitivity.ranges.sanctions.intensity=[1,0]"],
     ["sensitivity.ranges.sanctions.intensity must be [low, high]"]),
    (["sensitivity", *SENS, "sensitivity.samples=1"], ["sensitivity.samples=1 is out of range"]),
    (["sensitivity", *SENS, "sensitivity.samples=1048576"],
     ["sensitivity.samples=1,048,576 needs"]),
    (["sensitivity", *SENS, "sensitivity.samples=1000"],
     ["sensitivity.samples=1,000 is not a power of 2", "512 or 1,024"]),
    (["sensitivity", *SENS, "sensitivity.replications=100000"],
     ["sensitivity.replications=100,000 needs"]),
    # report and discover
    (["report"], ["kzsim report <results folder>"]),
    (["report", "{tmp}/nope"], ["nope"]),
    (["discover"], ["target="]),
    (["discover", "{tmp}/nope", "target=captured_east"], ["nope"]),
    # top level
    (["nope"], ["unknown command 'nope'", "run, sweep"]),
]


def _id(case) -> str:
    return " ".join(case[0])[:60]


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    args, fragments, *flags = case
    monkeypatch.chdir(tmp_path)
    if LOW in flags:
        monkeypatch.setattr("sim.resources.available_memory", lambda: 2 * 10**9)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0] not in ("report", "discover", "nope") or len(args) > 1:
        args.append(f"out={tmp_path / 'x'}")
    status = cli.main(args)
    err = capsys.readouterr().err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kzsim: error: "), err
    for fragment in fragments:
        assert fragment in lines[0]
    assert not CLASS_NAME.search(err), err
    assert len(lines[0]) < 1200
    assert list(tmp_path.iterdir()) == []


def test_no_arguments_prints_usage_to_stderr_and_exits_2(capsys):
    assert cli.main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("usage: kzsim <command>")
    assert cli.main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: kzsim <command>")
    assert cli.main(["run", "--help"]) == 0


def _fake_command(exc):
    def command(overrides):
        raise exc
    return command


@pytest.mark.parametrize("exc,fragments", [
    (OSError(errno.EACCES, "Permission denied", "/ro/x/fit.csv"),
     ["cannot write /ro/x/fit.csv: Permission denied", "out="]),
    (OSError(errno.EROFS, "Read-only file system", "/ro/x"), ["cannot write /ro/x"]),
    (OSError(errno.ENAMETOOLONG, "File name too long"), ["cannot write the output",
                                                         "File name too long"]),
    (MemoryError(), ["kzsim run ran out of memory", "fewer runs"]),
])
def test_environment_faults_are_one_line(exc, fragments, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_commands", lambda: {"run": _fake_command(exc)})
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("kzsim: error: ")
    for fragment in fragments:
        assert fragment in err
    assert not CLASS_NAME.search(err), err


def test_full_disk_says_how_much_is_free(tmp_path, monkeypatch, capsys):
    target = tmp_path / "not" / "yet" / "part.parquet"
    full = OSError(errno.ENOSPC, "No space left on device", str(target))
    monkeypatch.setattr(cli, "_commands", lambda: {"sweep": _fake_command(full)})
    monkeypatch.setattr("kzsim.cli.free_disk", lambda path: 3_400_000)
    assert cli.main(["sweep"]) == 2
    err = capsys.readouterr().err
    assert err == (f"kzsim: error: cannot write {target}: the disk is full (3 MB free there); "
                   "free space or choose another out=\n")


def test_broken_pipe_exits_quietly(tmp_path):
    out = tmp_path / "r"
    res = subprocess.run(f"{sys.executable} -m kzsim.cli run turns=12 runs=2 out={out} "
                         "| head -c 1", shell=True, capture_output=True, text=True)
    assert "Traceback" not in res.stderr and "BrokenPipe" not in res.stderr, res.stderr
    assert res.stderr == ""
    # stdout is a pipe whose reader is gone before anything is printed: quiet, exit 1 (the
    # Python documentation's advice for SIGPIPE)
    code = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); "
            "from kzsim import cli; sys.exit(cli.main(['--help']))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 1 and res.stderr == "", res.stderr
