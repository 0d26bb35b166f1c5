"""Runs a dialog against an input source and a set of outputs. Shared by text and voice modes."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from assistant.app.output import Output
from assistant.base.events import Event, Say, Summary
from assistant.base.paths import summaries_dir
from assistant.conversation.dialog import Dialog
from assistant.conversation.triage import fill

log = logging.getLogger(__name__)


def default_summary_path(now: datetime) -> Path:
    """A new file name under the data folder; never one already used (two summaries in a second)."""
    folder = summaries_dir()
    stem = f"summary-{now.strftime('%Y%m%d-%H%M%S')}"
    path = folder / f"{stem}.md"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.md"
    return path


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and any missing parents readable by the user only (0700).

    Folders that already exist are left as they are: they belong to the person.
    """
    missing: list[Path] = []
    probe = directory
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        folder.chmod(0o700)  # mkdir's mode is cut by the umask; make sure


def write_private(path: Path, text: str) -> None:
    """Write a file readable by the user only (0600), atomically: no half-written file is left.

    The text goes to a new temporary file beside ``path`` (created exclusively, so nothing
    already there is followed or truncated), then replaces ``path`` in one step. A path that
    names something other than a regular file (``/dev/stdout``, a pipe) is written in place
    instead: replacing it would destroy it.
    """
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8") as f:
            f.write(text)
        return
    make_private_dirs(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
            text = fill(self.dialog.messages["summary_failed"], path=str(path), reason=reason)
            return Say(text, role="error")
        text = fill(self.dialog.messages["summary_saved"], path=str(path))
        return Say(text, role="summary_saved")

    def start(self) -> None:
        self.publish(self.dialog.start())

    def said(self, text: str) -> None:
        # What the person said is private: it reaches the log only with --debug.
        log.debug("heard: %r", text)
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
