"""Fixtures shared by every test: knowledge loaded once, dialogs, and a helper to talk to one."""

from __future__ import annotations

import pytest
from hypothesis import settings

from assistant.base.settings import Settings
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge
from assistant.conversation.dialog import Dialog
from tests.support import SYSTEM_FILE, TOY_INTENTS, DialogFactory, fixed_clock

# Property tests: the default profile keeps CI fast; "long" (pytest --hypothesis-profile=long)
# multiplies every test's examples by tests.support.LONG_FACTOR for a nightly-style run.
settings.register_profile("long", max_examples=1000, deadline=None)


@pytest.fixture(scope="session")
def toy_knowledge() -> Knowledge:
    """The system pack and the small toe-pain intent used by the core tests."""
    return load_knowledge([SYSTEM_FILE, TOY_INTENTS])


@pytest.fixture(scope="session")
def shipped_knowledge() -> Knowledge:
    """Everything shipped in intents/."""
    return load_knowledge([SHIPPED_INTENTS])


@pytest.fixture
def toy_dialog(toy_knowledge: Knowledge) -> DialogFactory:
    def make(**settings: object) -> Dialog:
        return Dialog(toy_knowledge, Settings(**settings), clock=fixed_clock)  # type: ignore[arg-type]

    return make
