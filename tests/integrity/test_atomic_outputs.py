"""Guarantee 6: outputs are whole or absent; killed commands leave no half-written file.

A ``report`` killed at any moment leaves ``report.html`` either the previous complete file or
the new complete one; temporaries of dead processes are cleaned at the next start; pool
workers die with a killed parent, quietly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kzsim.cli import main
from sim.files import atomic_write_bytes, clean_stale_temporaries, temporary_name


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "c"
    assert main(["compare", "compare.replications=4", "turns=24", "compare.workers=1", "-q",
                 f"out={out}"]) == 0
    return out


def _complete_html(path: Path) -> bool:
    return path.read_text().rstrip().endswith("</html>")


@pytest.mark.parametrize("delay", [0.8, 1.6, 2.6])
def test_killed_report_leaves_the_previous_or_the_new_complete_report(compared, delay):
    html = compared / "report.html"
    if not html.exists():
        assert main(["report", str(compared)]) == 0
    before = html.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "kzsim.cli", "report", str(compared)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.kill()
    proc.wait()
    assert _complete_html(html)
    assert html.read_bytes() == before or b"</html>" in html.read_bytes()[-20:]
    stale = [p for p in compared.rglob("*.tmp")]
    assert main(["report", str(compared)]) == 0
    assert _complete_html(html)
    assert not [p for p in compared.rglob("*.tmp") if p.exists()], stale


def test_stale_temporaries_of_dead_processes_are_cleaned(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True)
    pid = int(dead.stdout)
    target = tmp_path / "report.html"
    mine = temporary_name(target)
    stale = mine.with_name(mine.name.replace(f".{os.getpid()}.tmp", f".{pid}.tmp"))
    stale.write_text("half")
    alive = mine.with_name(mine.name.replace(f".{os.getpid()}.tmp", f".{os.getppid()}.tmp"))
    alive.write_text("being written by a live process")
    assert clean_stale_temporaries(tmp_path) == 1
    assert not stale.exists() and alive.exists()


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "fit.csv"
    target.write_text("old,complete\n")

    def failing_replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    assert target.read_text() == "old,complete\n"
    assert list(tmp_path.iterdir()) == [target]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(c) for c in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_quietly_with_a_killed_parent(tmp_path):
    out = tmp_path / "s"
    proc = subprocess.Popen([sys.executable, "-m", "kzsim.cli", "sweep",
                             "experiment=sanctions_lhs", "sweep.samples=2000",
                             "sweep.chunk_size=50", "sweep.workers=2", "turns=120", "-q",
                             f"out={out}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 60
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the sweep did not start its workers"
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)
    assert not [w for w in workers if _alive(w)]
    assert "Traceback" not in proc.stderr.read().decode()


def test_sigterm_to_the_parent_stops_with_one_line_and_resume_completes(tmp_path):
    out = tmp_path / "s"
    args = [sys.executable, "-m", "kzsim.cli", "sweep", "experiment=sanctions_lhs",
            "sweep.samples=400", "sweep.chunk_size=100", "sweep.workers=2", "turns=120", "-q",
            f"out={out}"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list((out / "receipts").glob("chunk-*.json")):
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.strip().splitlines() == [
        "kzsim: terminated; finished work is kept, run the same command again to resume"]
    again = subprocess.run(args, capture_output=True, text=True)
    assert again.returncode == 0 and "sweep complete" in again.stdout, again.stderr
