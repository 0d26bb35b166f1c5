"""Load intent files as the assistant does, keeping every file's located YAML for later checks.

It reads files exactly as :func:`assistant.content.knowledge.check_files` does (both use
:mod:`assistant.content.file_set`), but keeps the intents that loaded even when another file is broken,
so that deeper checks still run on them and every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.base.paths import SHIPPED_SYSTEM
from assistant.content.file_set import FileSet, IntentCheck, LoadedIntent, read_intent_files
from assistant.content.knowledge import Knowledge
from assistant.content.located_yaml import LoadedYaml

__all__ = ["SHIPPED_SYSTEM", "LoadedIntent", "Workspace", "load_workspace"]


@dataclass
class Workspace(FileSet):
    """Everything found in a set of intent files, usable or not."""

    def knowledge(self) -> Knowledge | None:
        """The knowledge of the intents that loaded (None without a usable system file)."""
        if self.system is None:
            return None
        return Knowledge(self.system, tuple(li.intent for li in self.intents))

    def source(self, intent_id: str) -> LoadedYaml | None:
        return next((li.source for li in self.intents if li.intent.id == intent_id), None)


def load_workspace(paths: Sequence[Path], check: IntentCheck | None = None) -> Workspace:
    """Read and check every file; keep what loaded and every problem found.

    ``check`` runs on each intent as it loads, on every core (see :func:`read_intent_files`).
    """
    fs = read_intent_files(paths, check=check)
    return Workspace(fs.system, fs.intents, fs.problems, fs.files, fs.test_files, fs.checked)
