"""Guarantee 7 (environment faults): an unusable ``out`` or a full disk gives one clean line.

Every command, pointed at a file, a path under a file, ``/dev/null``, a name too long for the
file system or a read-only file system, exits 2 with one line and writes nothing. A sweep
that runs out of disk stops with one line, keeps every finished chunk, and a resume after
space is freed equals an uninterrupted sweep.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

import sim
from kzsim.cli import main
from tests.integrity.test_foreign_results import SMALL
from tests.sweep.helpers import sweep

COMMANDS = dict(SMALL)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("res") / "sweep"
    sweep(out, workers=1)
    return out


def _args(command, results, out):
    if command in ("report", "discover"):
        extra = ["target=west_below_third"] if command == "discover" else []
        return [command, str(results), *extra, f"out={out}"]
    return [*COMMANDS[command], f"out={out}"]


def _one_line(capsys, *words):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kzsim: error:"), err
    assert "Traceback" not in err[0] and "Error:" not in err[0].removeprefix("kzsim: error:")
    for w in words:
        assert w in err[0], err[0]


ALL = [*COMMANDS, "report", "discover"]


@pytest.mark.parametrize("command", ALL)
def test_out_that_is_a_file(command, results, tmp_path, capsys):
    target = tmp_path / "a_file"
    target.write_text("keep me")
    assert main(_args(command, results, target)) == 2
    _one_line(capsys, "is not a folder")
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("command", ALL)
def test_out_under_a_file(command, results, tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    assert main(_args(command, results, tmp_path / "a_file" / "sub")) == 2
    _one_line(capsys, "which is a file")


@pytest.mark.parametrize("command", ["run", "sweep", "report"])
def test_out_dev_null(command, results, capsys):
    assert main(_args(command, results, "/dev/null")) == 2
    _one_line(capsys, "/dev/null")


@pytest.mark.parametrize("command", ALL)
def test_out_with_a_name_too_long(command, results, tmp_path, capsys):
    assert main(_args(command, results, tmp_path / ("A" * 300))) == 2
    _one_line(capsys, "longer than 255 bytes")
    assert list(tmp_path.iterdir()) == []


def _mount_tmpfs(path, options):
    path.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _tmpfs(path, options, what):
    if not _mount_tmpfs(path, options):
        pytest.skip(f"cannot mount a tmpfs here (needs root); {what} not tested")
    yield path
    subprocess.run(["umount", str(path)], check=False)


@pytest.fixture
def read_only(tmp_path):
    yield from _tmpfs(tmp_path / "ro", "size=1m,ro", "read-only out")


@pytest.mark.parametrize("command", ALL)
def test_out_on_a_read_only_file_system(command, results, read_only, capsys):
    assert main(_args(command, results, read_only / "x")) == 2
    _one_line(capsys, "cannot be written")


@pytest.fixture
def small_disk(tmp_path):
    yield from _tmpfs(tmp_path / "small", "size=200k", "full disk")


DISK_SWEEP = ["sweep", "experiment=sanctions_lhs", "sweep.samples=40", "sweep.replications=2",
              "sweep.chunk_size=10", "turns=12", "sweep.bands=false", "sweep.workers=1", "-q"]


def test_a_request_larger_than_the_free_disk_is_refused_before_running(small_disk):
    args = [a for a in DISK_SWEEP if not a.startswith("sweep.samples")] + ["sweep.samples=4000"]
    done = subprocess.run([sys.executable, "-m", "kzsim.cli", *args,
                           f"out={small_disk / 's'}"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "needs about" in done.stderr and "of disk" in done.stderr and "is free" in done.stderr
    assert not (small_disk / "s").exists()


def test_disk_full_mid_sweep_then_resume_equals_uninterrupted(small_disk, tmp_path):
    out = small_disk / "s"
    full = subprocess.run([sys.executable, "-m", "kzsim.cli", *DISK_SWEEP, f"out={out}"],
                          capture_output=True, text=True)
    assert full.returncode == 2, full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and "disk is full" in lines[0] and "Traceback" not in full.stderr
    assert not [p for p in out.rglob("*.tmp")]
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = subprocess.run([sys.executable, "-m", "kzsim.cli", *DISK_SWEEP, f"out={out}"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    ref = tmp_path / "ref"
    assert main([*DISK_SWEEP, f"out={ref}"]) == 0
    pd.testing.assert_frame_equal(sim.load_results(out).runs, sim.load_results(ref).runs,
                                  check_exact=True)


def test_umask_is_respected(tmp_path):
    old = os.umask(0o022)
    try:
        assert main([*COMMANDS["run"], f"out={tmp_path / 'r'}"]) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "r").stat().st_mode & 0o777 == 0o755
