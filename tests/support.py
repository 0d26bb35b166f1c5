"""Helpers shared by tests (importable as ``tests.support``; fixtures live in conftest.py)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import ModuleType

from assistant.base.events import Event
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge
from assistant.conversation.dialog import Dialog
from assistant.understanding.understand import Expecting

TESTS = Path(__file__).parent
ROOT = TESTS.parent
DATA = TESTS / "data"
#: A small intent used by the core tests, independent of the shipped content.
TOY_INTENTS = DATA / "intents"
SYSTEM_FILE = SHIPPED_INTENTS / "system.yaml"

DialogFactory = Callable[..., Dialog]


def fixed_clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30)


def talk(dialog: Dialog, *lines: str) -> list[Event]:
    """Start a dialog and say each line; return every event."""
    events = dialog.start()
    for line in lines:
        events += dialog.handle(line)
    return events


def run_assistant(
    args: Sequence[str],
    stdin: bytes,
    home: Path,
    *,
    config: Path | None = None,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m assistant *args`` with a private HOME: no user's drop-in intents or settings.

    Drop-in intents are read from ``config`` (``$XDG_CONFIG_HOME``; by default ``home/config``),
    and no emergency number comes from the environment. ``env`` adds or replaces variables.
    """
    environment = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(config or home / "config")}
    environment.pop("ASSISTANT_EMERGENCY_NUMBER", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
        env=environment,
        cwd=cwd,
    )


#: How many times more examples each property test tries under ``--hypothesis-profile=long``.
LONG_FACTOR = 20


def examples(n: int) -> int:
    """``n`` property-test examples in CI; LONG_FACTOR times as many under the "long" profile
    (``pytest --hypothesis-profile=long``, registered in tests/conftest.py): a nightly-style run."""
    from hypothesis import settings

    current = settings.default
    return n * LONG_FACTOR if current is not None and current.max_examples >= 1000 else n


def load_script(path: Path, name: str) -> ModuleType:
    """A script that is not a package module (a bench script), imported under ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def meant_at(knowledge: Knowledge, text: str, question_id: str = "rf_lungs") -> str:
    """What a reply to the shipped intent's question means: the answer ("yes", "no", "unsure"),
    "command:<name>", or the understanding's meaning."""
    question = next(q for i in knowledge.intents for q in i.questions if q.id == question_id)
    got = knowledge.understander.understand(text, Expecting(question.kind, question))
    if got.meaning == "command":
        return f"command:{got.command}"
    if got.meaning == "answer":
        return str(got.answer)
    return got.meaning
