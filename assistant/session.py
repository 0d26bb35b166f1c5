"""Runs a dialog against an input source and a set of outputs. Shared by text and voice modes."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from assistant.dialog import Dialog
from assistant.events import Event, Say, Summary
from assistant.output import Output
from assistant.triage import fill

log = logging.getLogger(__name__)


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "assistant"


def default_summary_path(now: datetime) -> Path:
    return data_dir() / "summaries" / f"summary-{now.strftime('%Y%m%d-%H%M%S')}.md"


def write_private(path: Path, text: str) -> None:
    """Write a file readable by the user only, atomically: no half-written file is ever left."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


class Session:
    """Feeds events to every output, in order, and handles the ones that need the outside world."""

    def __init__(
        self,
        dialog: Dialog,
        outputs: Sequence[Output],
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.dialog = dialog
        self.outputs = list(outputs)
        self.clock = clock
        self.events: list[Event] = []

    def publish(self, events: Sequence[Event]) -> None:
        for event in events:
            self._emit(event)
            if isinstance(event, Summary):
                self._emit(self._save(event))

    def _emit(self, event: Event) -> None:
        self.events.append(event)
        for output in self.outputs:
            output.emit(event)

    def _save(self, summary: Summary) -> Say:
        path = Path(summary.path) if summary.path else default_summary_path(self.clock())
        try:
            write_private(path, summary.text)
        except OSError as exc:
            log.debug("could not save the summary", exc_info=True)
            reason = exc.strerror or str(exc)
            return Say(f"Sorry, I couldn't save the summary to {path}: {reason}.", role="error")
        text = fill(self.dialog.messages["summary_saved"], path=str(path))
        return Say(text, role="summary_saved")

    def start(self) -> None:
        self.publish(self.dialog.start())

    def said(self, text: str) -> None:
        self.publish(self.dialog.handle(text))

    def silence(self) -> None:
        self.publish(self.dialog.no_speech())

    def end_of_input(self) -> None:
        self.publish(self.dialog.end_of_input())

    def interrupt(self) -> None:
        self.publish(self.dialog.stop())

    @property
    def finished(self) -> bool:
        return self.dialog.finished
