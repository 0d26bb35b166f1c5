"""Load every intent file, check them all, and hold the result for the dialog."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from assistant.errors import IntentError
from assistant.intent_loader import load_intent
from assistant.model import Intent, SystemPack
from assistant.problems import Location, Problem, display_path
from assistant.system_loader import load_system
from assistant.yamlsource import load_yaml

log = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHIPPED_INTENTS = PROJECT_DIR / "intents"


def user_intents_dir() -> Path:
    """Where drop-in intents live: ``$XDG_CONFIG_HOME/assistant/intents`` (``~/.config/...``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "assistant" / "intents"


def default_intent_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    dirs = [SHIPPED_INTENTS]
    user = user_intents_dir()
    if user.is_dir():
        dirs.append(user)
    dirs.extend(extra)
    return dirs


def intent_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files to load: each path is a file, or a folder whose *.yaml files are read."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            files.append(path)
    return files


@dataclass
class Knowledge:
    """Everything the dialog knows: the system pack and the symptom intents."""

    system: SystemPack
    intents: tuple[Intent, ...]

    def intent(self, intent_id: str) -> Intent | None:
        return next((i for i in self.intents if i.id == intent_id), None)

    @cached_property
    def normalizer(self) -> Normalizer:
        return Normalizer.from_system(self.system, self.intents)

    @cached_property
    def matcher(self) -> IntentMatcher:
        return IntentMatcher.build(self.intents, self.normalizer)

    @cached_property
    def commands(self) -> CommandMatcher:
        return CommandMatcher(self.system, self.normalizer)

    @cached_property
    def yes_no_parser(self) -> YesNoParser:
        return YesNoParser(self.system, self.normalizer)


def check_files(paths: Iterable[Path]) -> tuple[Knowledge | None, list[Problem]]:
    """Load and check every file; return the knowledge (None on any error) and all problems."""
    problems: list[Problem] = []
    system: SystemPack | None = None
    intents: list[Intent] = []
    seen: dict[str, Path] = {}
    files = intent_files(paths)
    for path in files:
        if not path.exists():
            problems.append(Problem(Location(display_path(path)), "no such file or folder"))
            continue
        loaded = load_yaml(path)
        problems.extend(loaded.problems)
        if loaded.problems or loaded.data is None:
            continue
        data = loaded.data
        if isinstance(data, dict) and "system" in data:
            pack, found = load_system(loaded)
            problems.extend(found)
            if pack is not None:
                if system is not None:
                    log.info("system file %s replaces %s", path, system.path)
                system = pack
            continue
        if isinstance(data, dict) and "intent" not in data and "tests" in data:
            continue  # a conversation test file kept beside the intents
        intent, found = load_intent(loaded)
        problems.extend(found)
        if intent is None:
            continue
        if intent.id in seen:
            problems.append(
                Problem(
                    loaded.at(("intent",)),
                    f"the intent id {intent.id!r} is already used by {display_path(seen[intent.id])}; "
                    "give this intent another id",
                )
            )
            continue
        seen[intent.id] = path
        intents.append(intent)
    if system is None and not any(p.severity == "error" for p in problems):
        where = ", ".join(display_path(p) for p in paths) or "(no paths)"
        problems.append(
            Problem(
                Location(where),
                "no system file found (a YAML file starting with 'system: en'); the shipped one is "
                f"{display_path(SHIPPED_INTENTS / 'system.yaml')}",
            )
        )
    if any(p.severity == "error" for p in problems) or system is None:
        return None, problems
    return Knowledge(system, tuple(intents)), problems


def load_knowledge(paths: Sequence[Path] | None = None) -> Knowledge:
    """Load intents from ``paths`` (default: shipped and user folders); raise IntentError on problems."""
    knowledge, problems = check_files(default_intent_dirs() if paths is None else paths)
    for p in problems:
        if p.severity == "warning":
            log.warning("%s", p)
    if knowledge is None:
        raise IntentError(problems)
    return knowledge


# Imported late: these modules use Knowledge's parts only, never the loader.
from assistant.answers import YesNoParser  # noqa: E402
from assistant.matcher import CommandMatcher, IntentMatcher  # noqa: E402
from assistant.normalize import Normalizer  # noqa: E402
