"""Load intent files as the assistant does, keeping every file's located YAML for later checks.

This follows :func:`assistant.knowledge.check_files` step by step (the same loaders, in the same
order), but keeps the intents that loaded even when another file is broken, so that deeper checks
still run on them and every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.intent_loader import load_intent
from assistant.knowledge import SHIPPED_INTENTS, Knowledge, intent_files
from assistant.model import Intent, SystemPack
from assistant.problems import Location, Problem, display_path
from assistant.system_loader import load_system
from assistant.yamlsource import LoadedYaml, load_yaml

SHIPPED_SYSTEM = SHIPPED_INTENTS / "system.yaml"


@dataclass(frozen=True)
class LoadedIntent:
    intent: Intent
    source: LoadedYaml


@dataclass
class Workspace:
    """Everything found in a set of intent files, usable or not."""

    system: SystemPack | None = None
    intents: list[LoadedIntent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Every YAML file read, in order.
    files: list[Path] = field(default_factory=list)
    #: Conversation test files (a top-level ``tests:`` key) found among the intent files.
    test_files: list[Path] = field(default_factory=list)

    def knowledge(self) -> Knowledge | None:
        """The knowledge of the intents that loaded (None without a usable system file)."""
        if self.system is None:
            return None
        return Knowledge(self.system, tuple(li.intent for li in self.intents))

    def source(self, intent_id: str) -> LoadedYaml | None:
        return next((li.source for li in self.intents if li.intent.id == intent_id), None)


def unique_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read (folders expanded to their *.yaml files), each once."""
    seen: set[Path] = set()
    out: list[Path] = []
    for path in intent_files(paths):
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def load_workspace(paths: Sequence[Path]) -> Workspace:
    """Read and check every file; keep what loaded and every problem found."""
    ws = Workspace()
    seen: dict[str, Path] = {}
    for path in unique_files(paths):
        if not path.exists():
            ws.problems.append(Problem(Location(display_path(path)), "no such file or folder"))
            continue
        ws.files.append(path)
        loaded = load_yaml(path)
        ws.problems.extend(loaded.problems)
        if loaded.problems or loaded.data is None:
            continue
        data = loaded.data
        if isinstance(data, dict) and "system" in data:
            pack, found = load_system(loaded)
            ws.problems.extend(found)
            if pack is not None:
                ws.system = pack
            continue
        if isinstance(data, dict) and "intent" not in data and "tests" in data:
            ws.test_files.append(path)
            continue
        intent, found = load_intent(loaded)
        ws.problems.extend(found)
        if intent is None:
            continue
        if intent.id in seen:
            ws.problems.append(
                Problem(
                    loaded.at(("intent",)),
                    f"the intent id {intent.id!r} is already used by {display_path(seen[intent.id])}; "
                    "give this intent another id",
                )
            )
            continue
        seen[intent.id] = path
        ws.intents.append(LoadedIntent(intent, loaded))
    if ws.system is None and not any(p.severity == "error" for p in ws.problems):
        where = ", ".join(display_path(p) for p in paths) or "(no paths)"
        ws.problems.append(
            Problem(
                Location(where),
                "no system file found (a YAML file starting with 'system: en'); the shipped one is "
                f"{display_path(SHIPPED_SYSTEM)}",
            )
        )
    return ws
