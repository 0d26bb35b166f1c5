"""Load every intent file, check them all, and hold the result for the dialog."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.base.errors import IntentError
from assistant.base.intents import Intent, SystemPack
from assistant.base.paths import SHIPPED_INTENTS, user_intents_dir
from assistant.base.problems import Problem

if TYPE_CHECKING:
    # Imported where used: the first prompt needs none of the YAML reader or the matcher (and
    # NumPy behind it), which a start from the content cache then never waits for.
    from assistant.understanding.answers import ChoiceParser, YesNoParser
    from assistant.understanding.commands import CommandRecognizer
    from assistant.understanding.emergencies import EmergencyDetector
    from assistant.understanding.matcher import IntentMatcher
    from assistant.understanding.normalize import Normalizer
    from assistant.understanding.understand import Understander

__all__ = [
    "SHIPPED_INTENTS",
    "Knowledge",
    "check_files",
    "default_intent_dirs",
    "intent_files",
    "load_knowledge",
    "user_intents_dir",
]

log = logging.getLogger(__name__)


def default_intent_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    dirs = [SHIPPED_INTENTS]
    user = user_intents_dir()
    if user.is_dir():
        dirs.append(user)
    dirs.extend(extra)
    return dirs


def intent_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files to read (see :func:`assistant.content.file_set.intent_files`)."""
    from assistant.content.file_set import intent_files as files  # noqa: PLC0415

    return files(paths)


#: The intents, or a function that makes them.
Intents = tuple[Intent, ...] | Callable[[], tuple[Intent, ...]]


class Knowledge:
    """Everything the dialog knows: the system pack and the symptom intents.

    ``intents`` may be a function that makes them, called once, the first time they are needed
    (content from the cache: the greeting needs only the system pack, so the first prompt does
    not wait for a thousand intents to be built; the background warm-up builds them).
    """

    def __init__(self, system: SystemPack, intents: Intents) -> None:
        self.system = system
        self._make = intents if callable(intents) else None
        self._intents = None if callable(intents) else intents
        self._lock = threading.Lock()

    @property
    def intents(self) -> tuple[Intent, ...]:
        if self._intents is None:
            with self._lock:  # the warm-up thread and a first turn may both ask: made once
                if self._intents is None:
                    assert self._make is not None
                    self._intents = self._make()
                    self._make = None
        return self._intents

    def __repr__(self) -> str:
        return f"Knowledge({len(self.intents)} intents)"

    def intent(self, intent_id: str) -> Intent | None:
        return next((i for i in self.intents if i.id == intent_id), None)

    @cached_property
    def normalizer(self) -> Normalizer:
        from assistant.understanding.normalize import Normalizer  # noqa: PLC0415

        return Normalizer.from_system(self.system, self.intents)

    @cached_property
    def matcher(self) -> IntentMatcher:
        words = self.system.words
        elsewhere = [*(w for ws in words.body_regions.values() for w in ws)]
        elsewhere += [w for ws in self.system.emergencies.words.values() for w in ws]
        known = frozenset(t for w in elsewhere for t in self.normalizer.tokens(w))
        from assistant.understanding.matcher import IntentMatcher  # noqa: PLC0415

        return IntentMatcher.build(self.intents, self.normalizer, known)

    @cached_property
    def understander(self) -> Understander:
        """The one place utterances are understood (emergencies, commands, intents, answers)."""
        from assistant.understanding.understand import Understander  # noqa: PLC0415

        return Understander(self.system, self.intents, self.normalizer, self.matcher)

    @property
    def commands(self) -> CommandRecognizer:
        return self.understander.commands

    @property
    def emergencies(self) -> EmergencyDetector:
        return self.understander.emergencies

    @property
    def yes_no_parser(self) -> YesNoParser:
        return self.understander.yes_no

    @property
    def choice_parser(self) -> ChoiceParser:
        return self.understander.choices


def check_files(
    paths: Iterable[Path], *, skip_broken: bool = False, allow_override: bool = False
) -> tuple[Knowledge | None, list[Problem]]:
    """Load and check every file; return the knowledge (None on any error) and all problems.

    ``skip_broken``: leave out drop-in files with errors, with a warning each (the assistant
    starting); shipped files are never left out.
    """
    from assistant.content.file_set import read_intent_files  # noqa: PLC0415 - not on a cache hit

    fs = read_intent_files(list(paths), skip_broken=skip_broken, allow_override=allow_override)
    if fs.has_errors or fs.system is None:
        return None, fs.problems
    return Knowledge(fs.system, tuple(li.intent for li in fs.intents)), fs.problems


def load_knowledge(
    paths: Sequence[Path] | None = None,
    *,
    strict: bool = True,
    allow_override: bool = False,
    cached: bool = False,
) -> Knowledge:
    """Load intents from ``paths`` (default: shipped and user folders); raise IntentError on problems.

    Not ``strict``: a drop-in file with errors is skipped with a warning instead. ``cached``: use
    and fill the content cache (:mod:`assistant.content.content_cache`), as the assistant does
    when it starts. From the cache the intents are built when first needed; an entry whose
    intents cannot be built then is put aside and the files are read after all.
    """
    paths = default_intent_dirs() if paths is None else list(paths)
    if not cached:
        return _from_files(paths, strict, allow_override, None)
    from assistant.content import content_cache  # noqa: PLC0415
    from assistant.content.cache_codec import BadCacheError  # noqa: PLC0415

    key = content_cache.content_key(paths, [f"strict={strict}", f"allow_override={allow_override}"])
    hit = content_cache.read(key) if key else None
    if key is None or hit is None:
        return _from_files(paths, strict, allow_override, key)
    _warn(hit.warnings)

    def intents() -> tuple[Intent, ...]:
        try:
            return hit.intents()
        except BadCacheError as exc:
            log.debug("content cache entry %s not used (%s); reading the files", key, exc)
            return _from_files(paths, strict, allow_override, key, warn=False).intents

    return Knowledge(hit.system, intents)


def _from_files(
    paths: Sequence[Path], strict: bool, allow_override: bool, key: str | None, *, warn: bool = True
) -> Knowledge:
    """Read and check the files; with a cache ``key``, store them under it when there are many."""
    knowledge, problems = check_files(paths, skip_broken=not strict, allow_override=allow_override)
    if warn or knowledge is None:
        _warn(problems)
    if knowledge is None:
        raise IntentError(problems)
    if key:
        from assistant.content import content_cache  # noqa: PLC0415

        if len(knowledge.intents) >= content_cache.WORTH_INTENTS:
            warnings = tuple(p for p in problems if p.severity == "warning")
            content_cache.write_soon(key, content_cache.Loaded(knowledge.system, knowledge.intents, warnings))
    return knowledge


def _warn(problems: Iterable[Problem]) -> None:
    for p in problems:
        if p.severity == "warning":
            log.warning("%s", p)
