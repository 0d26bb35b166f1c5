"""Read a set of intent files: each file loaded and checked on its own, then checked together.

The assistant (:func:`assistant.content.knowledge.check_files`) and ``assistant check`` both read files
here, so they always agree on what a file means and on what is wrong with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from assistant.base.intents import Intent, SystemPack
from assistant.base.paths import SHIPPED_INTENTS, SHIPPED_SYSTEM
from assistant.base.problems import Location, Problem, display_path
from assistant.content.intent_file import load_intent
from assistant.content.limits import MAX_INTENTS, SUFFIXES, too_many_intents
from assistant.content.located_yaml import LoadedYaml, load_yaml
from assistant.content.parallel import parallel_map
from assistant.content.safety_floor import weakenings
from assistant.content.system_file import load_system

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedIntent:
    intent: Intent
    source: LoadedYaml


@dataclass
class FileSet:
    """Everything found in a set of intent files, usable or not."""

    system: SystemPack | None = None
    intents: list[LoadedIntent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Every YAML file read, in order.
    files: list[Path] = field(default_factory=list)
    #: Conversation test files (a top-level ``tests:`` key) found among the intent files.
    test_files: list[Path] = field(default_factory=list)
    #: What the per-intent check (``read_intent_files(check=...)``) found: kept apart from
    #: :attr:`problems`, which are what stops the files loading.
    checked: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True)
class _Read:
    """One file, read and checked on its own."""

    path: Path
    kind: Literal["missing", "broken", "system", "tests", "intent"]
    problems: list[Problem]
    loaded: LoadedYaml | None = None
    system: SystemPack | None = None
    intent: Intent | None = None
    #: What the per-intent check (``read_intent_files(check=...)``) found, if one ran.
    checked: tuple[Problem, ...] = ()


def intent_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files to read: each path is a file, or a folder whose *.yaml files are read; each once."""
    seen: set[Path] = set()
    files: list[Path] = []
    for path in paths:
        found = (
            sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
            if path.is_dir()
            else [path]
        )
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


IntentCheck = Callable[[LoadedIntent], list[Problem]]


def _read_and_check(check: IntentCheck | None, path: Path) -> _Read:
    read = _read_one(path)
    if check is None or read.intent is None or read.loaded is None:
        return read
    checked = tuple(check(LoadedIntent(read.intent, read.loaded)))
    # The intent is built: only the places of its values are needed from here on (to report the
    # checks that need all the intents), not the parsed values again, which are as large.
    return replace(read, checked=checked, loaded=replace(read.loaded, data=None))


def _read_one(path: Path) -> _Read:
    if not path.exists():
        return _Read(path, "missing", [Problem(Location(display_path(path)), "no such file or folder")])
    loaded = load_yaml(path)
    if loaded.problems or loaded.data is None:
        return _Read(path, "broken", list(loaded.problems), loaded)
    data = loaded.data
    if isinstance(data, dict) and "system" in data:
        pack, found = load_system(loaded)
        return _Read(path, "system", found, loaded, system=pack)
    if isinstance(data, dict) and "intent" not in data and "tests" in data:
        return _Read(path, "tests", [], loaded)
    intent, found = load_intent(loaded)
    return _Read(path, "intent", found, loaded, intent=intent)


def is_shipped(path: Path) -> bool:
    """Whether ``path`` is one of the files that ship with the assistant (never skipped)."""
    try:
        return path.resolve().is_relative_to(SHIPPED_INTENTS.resolve())
    except OSError:
        return False


def _skipped(read: _Read, why: str) -> Problem:
    return Problem(
        Location(display_path(read.path)),
        f"skipped this drop-in file: {why} (see 'assistant check {display_path(read.path)}'; "
        "start with --strict to stop instead)",
        "warning",
    )


def read_intent_files(
    paths: Sequence[Path],
    *,
    check: IntentCheck | None = None,
    skip_broken: bool = False,
    allow_override: bool = False,
) -> FileSet:
    """Read every file and check them together.

    ``check`` is more checking to do on each intent that loads (``assistant check``'s lint): the
    files are then read and checked on every core, as there is enough work per file to pay for
    sending its result back. With ``skip_broken`` (the assistant starting, not ``--strict``), a
    file that is not shipped and has errors is left out with one warning naming it, so one bad
    drop-in file cannot stop the assistant.
    """
    files = intent_files(paths)
    reads = [_read_one(f) for f in files] if check is None else parallel_map(_read_and_check, files, check)
    fs = FileSet()
    if skip_broken:
        kept = []
        for read in reads:
            errors = [p for p in read.problems if p.severity == "error"]
            if errors and read.kind != "missing" and not is_shipped(read.path):
                fs.problems.append(
                    _skipped(
                        read, f"{errors[0]}" + (f" and {len(errors) - 1} more" if len(errors) > 1 else "")
                    )
                )
            else:
                kept.append(read)
        reads = kept
    seen: dict[str, Path] = {}
    for read in reads:
        fs.problems.extend(read.problems)
        if read.kind == "missing":
            continue
        fs.files.append(read.path)
        if read.kind == "tests":
            fs.test_files.append(read.path)
        elif read.system is not None:
            if fs.system is not None and is_shipped(fs.system.path) and not is_shipped(read.path):
                broken = weakenings(fs.system, read.system)
                floor_at = Location(display_path(read.path))
                if broken and not allow_override:
                    if skip_broken:
                        fs.problems.append(_skipped(read, "it would weaken the shipped safety content"))
                    else:
                        fs.problems += [
                            Problem(
                                floor_at, f"this system file would weaken the shipped safety content: {rule}"
                            )
                            for rule in broken
                        ]
                    continue
                fs.problems += [
                    Problem(
                        floor_at,
                        f"--allow-override: this system file weakens the shipped safety content: {rule}",
                        "warning",
                    )
                    for rule in broken
                ]
            if fs.system is not None:
                log.info("system file %s replaces %s", read.path, fs.system.path)
            fs.system = read.system
        elif read.intent is not None and read.loaded is not None:
            first = seen.setdefault(read.intent.id, read.path)
            if first != read.path and skip_broken and not is_shipped(read.path):
                fs.problems.append(
                    _skipped(
                        read, f"the intent id {read.intent.id!r} is already used by {display_path(first)}"
                    )
                )
                continue
            if first != read.path:
                fs.problems.append(
                    Problem(
                        read.loaded.at(("intent",)),
                        f"the intent id {read.intent.id!r} is already used by {display_path(first)}; "
                        "give this intent another id",
                    )
                )
                continue
            fs.intents.append(LoadedIntent(read.intent, read.loaded))
            fs.checked.extend(read.checked)
    if len(fs.intents) > MAX_INTENTS:
        fs.problems.append(
            Problem(Location(", ".join(display_path(p) for p in paths)), too_many_intents(len(fs.intents)))
        )
    if fs.system is None and not fs.has_errors:
        where = ", ".join(display_path(p) for p in paths) or "(no paths)"
        fs.problems.append(
            Problem(
                Location(where),
                "no system file found (a YAML file starting with 'system: en'); the shipped one is "
                f"{display_path(SHIPPED_SYSTEM)}",
            )
        )
    return fs
