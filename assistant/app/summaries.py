"""Where summaries go: a file readable by the user only, written atomically, never overwriting another.

The dialog never touches disk: it emits a :class:`~assistant.base.events.Summary` event and the
session hands it to a :class:`SummaryStore`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from assistant.base.paths import summaries_dir


def default_summary_path(now: datetime, folder: Path | None = None) -> Path:
    """A new file name under the data folder; never one already used (two summaries in a second)."""
    folder = summaries_dir() if folder is None else folder
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


@dataclass
class SummaryStore:
    """Saves summaries: to the path the person gave, else a new file in ``folder`` (the data folder)."""

    folder: Path | None = None
    clock: Callable[[], datetime] = field(default=datetime.now)

    def save(self, text: str, path: str | None = None) -> Path:
        """Write the summary and return where it went; an ``OSError`` says why it could not be."""
        target = Path(path) if path else default_summary_path(self.clock(), self.folder)
        write_private(target, text)
        return target
