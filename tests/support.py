"""Helpers shared by tests (importable as ``tests.support``; fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from assistant.dialog import Dialog
from assistant.events import Event
from assistant.knowledge import SHIPPED_INTENTS

TESTS = Path(__file__).parent
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
