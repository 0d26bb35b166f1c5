"""The download progress bar: redrawn on a terminal, one summary line otherwise."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """A text bar redrawn on a terminal; a single final line when ``stream`` is not a TTY."""

    def __init__(self, stream: TextIO, label: str, total: int) -> None:
        self.stream = stream
        self.label = label
        self.total = total
        self.tty = _isatty(stream)
        self._started = time.monotonic()
        self._first = 0
        self._done = 0
        self._active = False
        self._last_draw = 0.0

    def start(self, done: int) -> None:
        self._started = time.monotonic()
        self._first = done
        self._active = True
        self.update(done, force=True)

    def update(self, done: int, *, force: bool = False) -> None:
        self._done = done
        now = time.monotonic()
        if not self.tty or (not force and now - self._last_draw < 0.1):
            return
        self._last_draw = now
        fraction = min(done / self.total, 1.0) if self.total else 1.0
        bar = "#" * int(fraction * 30)
        self.stream.write(
            f"\r{self.label} [{bar:<30}] {fraction:4.0%} "
            f"{done / 1e6:.1f}/{self.total / 1e6:.1f} MB {self._rate(done):.1f} MB/s "
        )
        self.stream.flush()

    def finish(self) -> None:
        """End the bar; off a terminal, print one summary line if the download completed."""
        if not self._active:
            return
        self._active = False
        done = self._done
        if self.tty:
            self.update(done, force=True)
            self.stream.write("\n")
        elif done == self.total and done > self._first:
            elapsed = time.monotonic() - self._started
            resumed = f", resumed at {self._first / 1e6:.1f} MB" if self._first else ""
            self.stream.write(
                f"downloaded {self.label}: {(done - self._first) / 1e6:.1f} MB in {elapsed:.1f} s "
                f"({self._rate(done):.1f} MB/s{resumed})\n"
            )
        self.stream.flush()

    def _rate(self, done: int) -> float:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        return (done - self._first) / 1e6 / elapsed


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
