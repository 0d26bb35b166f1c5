"""The background warm-up (intents from the cache, the matcher) starts only once the first
question is out: it never runs beside the greeting, and nothing before the first prompt waits
for it."""

from __future__ import annotations

from assistant.app.session import Conversations
from assistant.base.events import Event
from assistant.base.intents import Intent
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge


class Recorder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def emit(self, event: Event) -> None:
        self.seen.append(type(event).__name__)


def test_the_intents_are_built_after_the_first_question_in_the_background(toy_knowledge: Knowledge) -> None:
    recorder = Recorder()
    built_when: list[list[str]] = []

    def intents() -> tuple[Intent, ...]:
        built_when.append(list(recorder.seen))
        return toy_knowledge.intents

    conversations = Conversations(Knowledge(toy_knowledge.system, intents), Settings(), [recorder])
    session = conversations.new()
    assert built_when == []  # a session made is not yet a question asked
    session.start()
    assert conversations._warming is not None
    conversations._warming.join(timeout=60)
    assert built_when == [["Say", "Ask"]]  # the greeting and the first question, then the warm-up
    session.said("my big toe hurts")
    conversations.new().start()
    assert len(built_when) == 1  # built once, for every conversation
    assert "Ask" in recorder.seen[2:]
