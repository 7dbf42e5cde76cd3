"""``kzsim explore``: bad input is one line, exit 2; the server starts, answers, stops on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from kzsim.explore_command import is_loopback, parse, server_command


def kzsim(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kzsim.cli", "explore", *args],
                          capture_output=True, text=True, timeout=120, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("args", "message"), [
    (["nowhere"], "nowhere is not a folder"),
    (["port=0"], "port=0 is out of range; valid range is [1, 65535]"),
    (["port=http"], "port='http' is not a whole number"),
    (["runs=0"], "runs=0 is out of range; valid range is [1, 10000]"),
    (["colour=red"], "unknown option 'colour'; kzsim explore takes a results folder and port=, "
                     "host=, runs="),
    (["a", "b"], "kzsim explore takes one results folder, got 2"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    res = kzsim(*args)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and message in res.stderr


def test_a_folder_of_another_kind_is_refused(run_folder):
    res = kzsim(str(run_folder))
    assert res.returncode == 2
    assert "holds kzsim run results" in res.stderr and "valid kinds: sweep, compare, hindcast" \
        in res.stderr


def test_a_port_in_use_is_refused_before_serving(compare_folder):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = kzsim(str(compare_folder), f"port={port}")
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.strip() == (f"kzsim: error: port {port} on 127.0.0.1 is in use; choose "
                                  f"another with port=<n> (e.g. port={port + 1})")


def test_a_missing_extra_is_one_line_naming_the_install():
    code = ("import sys; sys.modules['streamlit'] = None\n"
            "from kzsim.cli import main; sys.exit(main(['explore']))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 2
    assert res.stderr.strip() == ("kzsim: error: kzsim explore needs the optional [explore] "
                                  "extra (Streamlit); install it with .venv/bin/pip install -c "
                                  "constraints.txt -e '.[explore]'")


def test_options_and_the_server_command():
    assert parse([]) == (None, {"port": 8501, "host": "127.0.0.1", "runs": 100})
    assert parse(["results/x", "port=9000", "runs=20", "quiet=true"]) == (
        "results/x", {"port": 9000, "host": "127.0.0.1", "runs": 20})
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    cmd = server_command("127.0.0.1", 9000)
    for flag, value in (("--server.address", "127.0.0.1"), ("--server.port", "9000"),
                        ("--server.headless", "true"), ("--browser.gatherUsageStats", "false")):
        assert cmd[cmd.index(flag) + 1] == value


def test_serves_on_localhost_and_stops_cleanly_on_ctrl_c(compare_folder):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kzsim.cli", "explore", str(compare_folder),
                             f"port={port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == (f"kzsim explore: results {compare_folder.resolve()} at "
                                f"http://127.0.0.1:{port} (Ctrl-C stops)")
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as reply:
                    assert reply.read().decode() == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the explorer did not answer in 60 s"
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.3)
        with socket.socket() as other:       # bound to localhost only: the port is taken there
            with pytest.raises(OSError):
                other.bind(("127.0.0.1", port))
        os.killpg(proc.pid, signal.SIGINT)   # Ctrl-C in a terminal signals the whole group
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert err.strip().endswith("kzsim explore: stopped")
    assert "Traceback" not in err


def test_the_same_port_serves_again_right_after_a_stop():
    """Connections of a stopped server linger in TIME_WAIT; they must not count as "in use"."""
    port = free_port()
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-m", "kzsim.cli", "explore", f"port={port}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            assert "Ctrl-C stops" in proc.stdout.readline(), proc.stderr.read()
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                           timeout=2).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline and proc.poll() is None
                    time.sleep(0.3)
            os.killpg(proc.pid, signal.SIGINT)
            _, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err
