"""A cache of loaded and checked content, so that start-up does not read and check every YAML file.

Keyed by the bytes of every intent file (and their paths and order), the program's version, the
Python version and the loading flags: any change to any of them is a different key, so a stale
entry is never used. Entries are JSON written by :mod:`assistant.content.cache_codec` (data only:
reading one can build nothing but the content's own types) in ``$XDG_CACHE_HOME/assistant/content``
(folder 0700, files 0600, written atomically). A missing, damaged or foreign entry is rebuilt
silently. Only content large enough to be slow to load is cached (:data:`WORTH_INTENTS`), so a
person with the shipped intents finds nothing written. ``assistant check`` never uses it: it
always reads the files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant import __version__
from assistant.base.intents import Intent, SystemPack
from assistant.base.paths import cache_home
from assistant.base.problems import Problem
from assistant.content.cache_codec import BadCacheError, NotCacheableError, dumps, loads
from assistant.content.limits import MAX_FILE_BYTES, SUFFIXES

log = logging.getLogger(__name__)

#: Content with fewer intents than this is not cached: nothing is written to the user's folders
#: for the shipped intents or a few drop-ins (they load in tens of milliseconds); 1,000 intents
#: take about 1.5 s. A count, not a time: under load the shipped intents can take 0.3 s to read,
#: and what is written must not depend on how busy the machine is.
WORTH_INTENTS = 20
#: Entries kept (one per set of content); older ones are removed when a new one is written.
KEEP = 4
FORMAT = 2


@dataclass(frozen=True)
class Loaded:
    system: SystemPack
    intents: tuple[Intent, ...]
    #: The warnings found while checking (said again on every start, as without the cache).
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class Entry:
    """An entry read back: the system pack and warnings at once, the intents only when called
    (the first prompt needs none of them; a thousand take a quarter of a second to build)."""

    system: SystemPack
    warnings: tuple[Problem, ...]
    intents: Callable[[], tuple[Intent, ...]]


def cache_folder() -> Path:
    return cache_home() / "content"


def content_key(paths: Sequence[Path], flags: Sequence[str]) -> str | None:
    """A key for exactly this content, or None when a file cannot be read plainly (the loader
    then reads the files and reports what is wrong).

    Every byte of every file is hashed on every start: metadata (size, times, inode) is not
    trusted to say a file is unchanged, as tools and some file systems keep or restore it across
    an edit, and a stale entry would be stale medical content. Plain system calls keep this cheap
    (about 11 ms for 1,000 intent files, of which hashing is 2 ms).
    """
    digest = hashlib.sha256()
    for part in (f"format {FORMAT}", __version__, sys.version, *flags):
        digest.update(part.encode() + b"\0")
    try:
        for file in _files(paths):
            digest.update(file.encode() + b"\0")
            digest.update(_read(file) + b"\0")
    except (OSError, _NotPlainError):
        return None
    return digest.hexdigest()


class _NotPlainError(Exception):
    """A file the loader would refuse (not a regular file, or too big)."""


def _files(paths: Sequence[Path]) -> list[str]:
    """Every file the loader reads (:func:`~assistant.content.file_set.intent_files`: a folder's
    ``*.yaml`` and ``*.yml`` files in name order, or a file given by name), as absolute paths.
    A file given twice is listed twice (the loader reads it once): the key is only stricter."""
    files: list[str] = []
    for path in paths:
        name = os.path.abspath(path)
        if not os.path.isdir(name):
            files.append(name)
            continue
        with os.scandir(name) as entries:
            found = sorted(e.name for e in entries if os.path.splitext(e.name)[1] in SUFFIXES and e.is_file())
        files.extend(os.path.join(name, file) for file in found)
    return files


def _read(file: str) -> bytes:
    # O_NONBLOCK: a pipe put where a file was is refused below instead of waited on.
    handle = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raise _NotPlainError(file)
        chunks = []
        while chunk := os.read(handle, max(info.st_size, 1) + 1):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def read(key: str, folder: Path | None = None) -> Entry | None:
    """The content stored under ``key``, or None (no entry, or one that cannot be used)."""
    path = (folder or cache_folder()) / f"{key}.json"
    try:
        head, first, rest = path.read_bytes().split(b"\n", 2)
        if json.loads(head) != {"key": key, "format": FORMAT}:
            raise BadCacheError("an entry for other content")
        system, warnings = loads(first)
        entry = Entry(system, tuple(warnings), _Intents(rest))
        if not isinstance(system, SystemPack) or not all(isinstance(w, Problem) for w in warnings):
            raise BadCacheError("not content")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, RecursionError) as exc:
        log.debug("content cache entry %s not used (%s); reading the files", path.name, exc)
        return None
    return entry


class _Intents:
    """The intents of an entry, built when first asked for (BadCacheError when they cannot be)."""

    def __init__(self, text: bytes) -> None:
        self.text = text

    def __call__(self) -> tuple[Intent, ...]:
        intents = loads(self.text)
        if not isinstance(intents, tuple) or not all(isinstance(i, Intent) for i in intents):
            raise BadCacheError("not intents")
        return intents


def write(key: str, loaded: Loaded, folder: Path | None = None) -> None:
    """Store the content under ``key``; a failure is only logged (the cache is an optimisation).

    Three lines: which content it is, the system pack and warnings (read at start), and the
    intents (read when first needed)."""
    folder = folder or cache_folder()
    try:
        lines = [
            json.dumps({"key": key, "format": FORMAT}),
            dumps([loaded.system, list(loaded.warnings)]),
            dumps(loaded.intents),
        ]
    except NotCacheableError as exc:
        log.debug("content not cached: %s", exc)
        return
    tmp: str | None = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".entry-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        os.replace(tmp, folder / f"{key}.json")
        tmp = None
        _prune(folder)
    except OSError as exc:
        log.debug("content cache not written: %s", exc)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)  # a full disk leaves no half-written entry behind


def write_soon(key: str, loaded: Loaded) -> threading.Thread:
    """:func:`write` in a thread of its own: the first prompt does not wait for it (encoding a
    thousand intents takes about a second); the program finishes it before exiting."""
    thread = threading.Thread(target=write, args=(key, loaded), name="content-cache", daemon=False)
    thread.start()
    return thread


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
