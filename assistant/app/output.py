"""Where events go: the terminal (plain text) or JSON lines. Speech output lives in assistant.voice."""

from __future__ import annotations

import logging
import threading
from typing import Protocol, TextIO

from assistant.base.errors import AssistantError
from assistant.base.events import Event, event_to_json

log = logging.getLogger(__name__)


class Output(Protocol):
    def emit(self, event: Event) -> None: ...


class OutputWriteError(AssistantError):
    """Standard output cannot be written (a full disk, a closed device): the conversation cannot go on."""


def write_line(stream: TextIO, line: str) -> None:
    """Write and flush one line; a failure other than a closed pipe becomes an OutputWriteError."""
    try:
        stream.write(line + "\n")
        stream.flush()
    except BrokenPipeError:
        raise  # the reader went away: the caller ends quietly
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputWriteError(
            f"cannot write the conversation to the output ({reason}); check where the output goes"
        ) from exc


class JsonLinesOutput:
    """One JSON object per line, flushed at once (the public protocol)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def emit(self, event: Event) -> None:
        write_line(self.stream, event_to_json(event))


class TextOutput:
    """Plain lines for a person at a terminal or reading a pipe."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def emit(self, event: Event) -> None:
        text = event.display()
        if text:
            write_line(self.stream, text)


class SafeOutput:
    """Wraps an output that may fail (speech): a failure is reported once and never stops the rest."""

    def __init__(self, inner: Output, name: str, warn: TextIO) -> None:
        self.inner = inner
        self.name = name
        self.warn = warn
        self.failed = False

    def emit(self, event: Event) -> None:
        if self.failed:
            return
        try:
            self.inner.emit(event)
        except Exception as exc:  # any failure of an edge must not end the conversation
            self.failed = True
            log.debug("output %s failed", self.name, exc_info=True)
            self.warn.write(f"warning: {self.name} stopped working ({exc}); continuing with text only.\n")
            self.warn.flush()


class OutputTimeoutError(RuntimeError):
    """An output took far longer than it should have; it is treated as broken."""


class TimeoutOutput:
    """Gives an output that may hang (a speaker stuck on a sound device) a deadline per event.

    Each event is handed to the inner output on a daemon worker thread. If it has not returned
    within ``base + per_char * len(words spoken)`` seconds, :class:`OutputTimeoutError` is raised
    (wrap this in :class:`SafeOutput` to warn once and carry on) and the stuck thread is
    abandoned: every later event is refused at once, so nothing queues behind it.
    """

    def __init__(self, inner: Output, *, base: float = 5.0, per_char: float = 0.2) -> None:
        self.inner = inner
        self.base = base
        self.per_char = per_char
        self.stuck = False

    def deadline(self, event: Event) -> float:
        return self.base + self.per_char * len(event.spoken or "")

    def emit(self, event: Event) -> None:
        if self.stuck:
            raise OutputTimeoutError("an earlier event never finished")
        failure: list[BaseException] = []

        def run() -> None:
            try:
                self.inner.emit(event)
            except BaseException as exc:  # handed back to the caller's thread
                failure.append(exc)

        worker = threading.Thread(target=run, name="output-worker", daemon=True)
        worker.start()
        limit = self.deadline(event)
        worker.join(limit)
        if worker.is_alive():
            self.stuck = True
            raise OutputTimeoutError(f"no answer after {limit:.0f} seconds")
        if failure:
            raise failure[0]


class EventLog:
    """Keeps every event it is given, in order: for a server that replies with what was said in a
    turn (read :attr:`events`, then :meth:`clear`), and for tests and benchmarks."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def clear(self) -> None:
        self.events.clear()
