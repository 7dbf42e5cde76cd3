"""``kzsim explore [<results folder>] [port=8501] [host=127.0.0.1] [runs=100]``: the explorer.

Serves :mod:`kzsim.explore_app` (Streamlit, the optional ``[explore]`` extra) on ``host:port``,
bound to 127.0.0.1 unless ``host=`` says otherwise, prints its address and stops cleanly on
Ctrl-C. A folder is verified before the server starts (as ``kzsim report`` does); without one
the page opens in live mode. A bad folder, a port in use or a missing extra is one line and
exit status 2, before anything is served.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import subprocess
import sys
from pathlib import Path

from sim.errors import ConfigError

APP = Path(__file__).with_name("explore_app.py")
OPTIONS = {"port": 8501, "host": "127.0.0.1", "runs": 100}
"""The options and their defaults."""
USAGE = "kzsim explore [<results folder>] [port=8501] [host=127.0.0.1] [runs=100]"
INSTALL = ".venv/bin/pip install -c constraints.txt -e '.[explore]'"


def parse(args: list[str]) -> tuple[str | None, dict]:
    """The folder (or None) and the options, checked."""
    folders = [a for a in args if "=" not in a]
    opts = dict(OPTIONS)
    for arg in args:
        if "=" not in arg:
            continue
        key, value = arg.split("=", 1)
        if key == "quiet":
            continue
        if key not in OPTIONS:
            raise ConfigError(f"unknown option '{key}'; kzsim explore takes a results folder and "
                              f"{', '.join(f'{k}=' for k in OPTIONS)} (usage: {USAGE})")
        opts[key] = value
    if len(folders) > 1:
        raise ConfigError(f"kzsim explore takes one results folder, got {len(folders)}: "
                          f"{', '.join(folders)} (usage: {USAGE})")
    for key, low, high in (("port", 1, 65535), ("runs", 1, 10_000)):
        try:
            opts[key] = int(opts[key])
        except ValueError:
            raise ConfigError(f"{key}={opts[key]!r} is not a whole number; valid range is "
                              f"[{low}, {high}]") from None
        if not low <= opts[key] <= high:
            raise ConfigError(f"{key}={opts[key]} is out of range; valid range is [{low}, {high}]")
    return (folders[0] if folders else None), opts


def check_port(host: str, port: int) -> None:
    """Refuse a port that something already listens on (or a host this machine is not)."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # as a server binds: connections of a server that just stopped (TIME_WAIT) do not
            # count, a socket listening there does
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is in use; choose another with "
                              f"port=<n> (e.g. port={port + 1})") from None
        raise ConfigError(f"cannot serve on {host}:{port} ({err.strerror or err}); give a "
                          "host= address of this machine, e.g. host=127.0.0.1") from None


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_command(host: str, port: int) -> list[str]:
    """The Streamlit server's command line: headless, no usage statistics, no file watcher."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.address", host, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--global.developmentMode", "false", "--logger.level", "error",
            "--client.toolbarMode", "viewer", "--theme.base", "light"]


def explore_command(args: list[str]) -> int:
    """Verify, then serve until Ctrl-C (exit 0) or until the server stops on its own."""
    folder, opts = parse(args)
    if folder is not None:
        from kzsim.explore_views import open_folder

        folder = str(open_folder(folder).path.resolve())
    try:
        import streamlit  # noqa: F401
    except ImportError:
        raise ConfigError(f"kzsim explore needs the optional [explore] extra (Streamlit); "
                          f"install it with {INSTALL}") from None
    host, port = opts["host"], opts["port"]
    check_port(host, port)
    if not is_loopback(host):
        print(f"kzsim explore: warning: serving on {host}, reachable from other machines",
              file=sys.stderr)
    env = {**os.environ, "KZSIM_EXPLORE_FOLDER": folder or "",
           "KZSIM_EXPLORE_RUNS": str(opts["runs"])}
    shown_host = f"[{host}]" if ":" in host else host
    what = f"results {folder}" if folder else "live mode"
    print(f"kzsim explore: {what} at http://{shown_host}:{port} (Ctrl-C stops)", flush=True)
    server = subprocess.Popen(server_command(host, port), env=env, stdout=subprocess.DEVNULL)
    try:
        status = server.wait()
    except KeyboardInterrupt:
        status = None
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    if status is None or status in (0, -2, -15):
        print("kzsim explore: stopped", file=sys.stderr)
        return 0
    raise ConfigError(f"the explorer's server stopped with status {status}; run the same "
                      "command again, or choose another port=")
