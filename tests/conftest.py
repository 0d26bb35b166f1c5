"""Fixtures shared by every test: knowledge loaded once, dialogs, and a helper to talk to one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from assistant.dialog import Dialog
from assistant.events import Event
from assistant.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge
from assistant.settings import Settings

TESTS = Path(__file__).parent
DATA = TESTS / "data"
TOY_INTENTS = DATA / "intents"
SYSTEM_FILE = SHIPPED_INTENTS / "system.yaml"


@pytest.fixture(scope="session")
def toy_knowledge() -> Knowledge:
    """The system pack and the small toe-pain intent used by the core tests."""
    return load_knowledge([SYSTEM_FILE, TOY_INTENTS])


@pytest.fixture(scope="session")
def shipped_knowledge() -> Knowledge:
    """Everything shipped in intents/."""
    return load_knowledge([SHIPPED_INTENTS])


def fixed_clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30)


DialogFactory = Callable[..., Dialog]


@pytest.fixture
def toy_dialog(toy_knowledge: Knowledge) -> DialogFactory:
    def make(**settings: object) -> Dialog:
        return Dialog(toy_knowledge, Settings(**settings), clock=fixed_clock)  # type: ignore[arg-type]

    return make


def talk(dialog: Dialog, *lines: str) -> list[Event]:
    """Start a dialog and say each line; return every event."""
    events = dialog.start()
    for line in lines:
        events += dialog.handle(line)
    return events
