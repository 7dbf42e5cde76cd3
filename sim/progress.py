"""Progress of a long job: a bar on a terminal, plain periodic lines otherwise, or nothing."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts runs done; shows runs/s (of this session's work) and the time left."""

    def __init__(self, total: int, done: int = 0, quiet: bool = False,
                 stream: TextIO | None = None, every: float = 5.0):
        self.total, self.done, self.start_done = total, done, done
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = 0.2 if self.tty else every
        self.t0 = self.last = time.perf_counter()
        if done and not quiet:
            self._write(f"resuming: {done:,} of {total:,} runs already stored\n")

    def rate(self) -> float:
        """Runs per second over this session's work."""
        elapsed = time.perf_counter() - self.t0
        return (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0

    def _line(self) -> str:
        rate = self.rate()
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        pct = self.done / self.total if self.total else 1.0
        return (f"{pct:6.1%}  {self.done:,}/{self.total:,} runs  {rate:,.0f} runs/s  "
                f"elapsed {_clock(time.perf_counter() - self.t0)}  ETA {_clock(eta)}")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def advance(self, runs: int) -> None:
        """Add finished runs; redraw if it is time."""
        self.done += runs
        now = time.perf_counter()
        if self.quiet or (now - self.last < self.every and self.done < self.total):
            return
        self.last = now
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self._write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self._line()}")
        else:
            self._write(self._line() + "\n")

    def close(self) -> None:
        """Finish the bar's line."""
        if self.tty and not self.quiet:
            self._write("\n")
