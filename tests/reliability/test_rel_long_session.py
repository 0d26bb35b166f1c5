"""A conversation that never ends keeps no more than one that does (issue 13).

``yes | assistant --text`` and a person saying "no", "go back" for hours must not grow: a
conversation keeps its answers (one per question, each heard text at most ``MAX_CHARS``), the
question waiting and a few counters keyed by the content (prompts, questions, messages), never the
events it has said. These drive the pure dialog, and a session through the text loop, for many
thousand lines and compare what is kept after a thousand lines with what is kept at the end:
structure sizes, no timing and no process memory (bench/long_session_bench.py measures that).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from assistant.app.session import Session
from assistant.app.textio import run_text
from assistant.base.events import Event
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.understanding.normalize import MAX_CHARS

#: Lines said in each never-ending conversation.
LINES = 12_000
#: What is kept is measured here, and again at the end: it must not have grown (both are multiples
#: of every loop's length, so the conversation is at the same point of its loop).
SETTLED = 1_200
#: The dialog's attributes that are shared content, not what one conversation keeps.
SHARED = {"knowledge", "settings", "messages", "clock"}


def kept_size(value: Any, seen: set[int] | None = None) -> int:
    """Bytes held by ``value`` and everything it refers to (strings, containers, dataclasses)."""
    if isinstance(value, int | float):
        return sys.getsizeof(value)  # counted each time: small numbers are shared objects
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(kept_size(k, seen) + kept_size(v, seen) for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        size += sum(kept_size(v, seen) for v in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        size += sum(kept_size(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    return size


def kept_by(dialog: Dialog) -> dict[str, int]:
    """Each thing one conversation keeps, and its size in bytes."""
    own = {k: v for k, v in vars(dialog).items() if k not in SHARED}
    sizes = {
        f"state.{f.name}": kept_size(getattr(dialog.state, f.name)) for f in dataclasses.fields(dialog.state)
    }
    return sizes | {name: kept_size(value) for name, value in own.items() if name != "state"}


def counts(dialog: Dialog) -> dict[str, int]:
    """How many entries each container of the state holds."""
    state = dialog.state
    return {
        f.name: len(getattr(state, f.name))
        for f in dataclasses.fields(state)
        if isinstance(getattr(state, f.name), list | dict | set)
    }


def never_ending(lines: Iterable[str]) -> Iterator[str]:
    return itertools.islice(itertools.cycle(lines), LINES)


#: Loops a conversation can stay in for ever, each a class of input that does not end it.
LOOPS = {
    "answer, go back": ["no", "go back"],
    "answers then back again": ["no", "no", "go back", "go back", "no", "go back"],
    "four deep and back": ["no"] * 4 + ["go back"] * 4,
    "varied words": ["nope", "back", "not really", "go back", "no it isn't", "previous question"],
}


def talk_for_ever(knowledge: Knowledge, opening: str, loop: list[str]) -> tuple[Dialog, dict[str, int]]:
    dialog = Dialog(knowledge, Settings(offer_summary=False))
    dialog.start()
    dialog.handle(opening)
    assert dialog.state.phase == "question", "the opening did not start the questions"
    settled: dict[str, int] = {}
    for n, line in enumerate(never_ending(loop), start=1):
        dialog.handle(line)
        assert not dialog.finished, f"{loop} ended the conversation after {n} lines"
        if n == SETTLED:
            settled = kept_by(dialog)
    return dialog, settled


def assert_not_grown(settled: dict[str, int], at_the_end: dict[str, int]) -> None:
    grown = {k: (settled.get(k), v) for k, v in at_the_end.items() if v > settled.get(k, 0)}
    assert not grown, f"kept more after {LINES:,} lines than after {SETTLED:,} (bytes): {grown}"


@pytest.mark.parametrize("loop", LOOPS.values(), ids=list(LOOPS))
def test_a_conversation_that_never_ends_keeps_the_same(shipped_knowledge: Knowledge, loop: list[str]) -> None:
    dialog, settled = talk_for_ever(shipped_knowledge, "my calf feels hot", loop)
    assert_not_grown(settled, kept_by(dialog))
    intent = dialog.intent
    assert intent is not None
    questions = len(intent.questions)
    for name, count in counts(dialog).items():
        assert count <= questions + len(dialog.messages), (name, count)
    assert len(dialog.state.history) <= questions
    assert all(len(heard) <= MAX_CHARS for heard in dialog.state.heard.values())


def test_the_toy_intent_never_keeps_more_either(knowledge: Knowledge) -> None:
    loop = ["no", "today", "yes", "go back", "go back", "go back"]
    dialog, settled = talk_for_ever(knowledge, "my big toe hurts", loop)
    assert_not_grown(settled, kept_by(dialog))


class Counting:
    """An output that counts events and keeps none."""

    def __init__(self) -> None:
        self.events = 0

    def emit(self, event: Event) -> None:
        self.events += 1


def run_lines(knowledge: Knowledge, lines: Iterable[str], *, json_input: bool) -> tuple[Session, Counting]:
    out = Counting()
    session = Session(Dialog(knowledge, Settings(offer_summary=False)), [out])
    stdin = io.BytesIO("".join(f"{line}\n" for line in lines).encode())
    assert run_text(session, stdin, io.StringIO(), prompt=False, json_input=json_input) == 0
    return session, out


def test_a_session_fed_lines_for_ever_keeps_only_its_answers(shipped_knowledge: Knowledge) -> None:
    """Through the text loop, with JSON lines it cannot use between the answers (each an error and
    the question again): the session passes every event on and keeps none."""
    loop = ["no", '{"text": 1}', "go back", "{", '{"silence": false}']
    short, _ = run_lines(
        shipped_knowledge,
        ["my calf feels hot", *itertools.islice(itertools.cycle(loop), SETTLED)],
        json_input=True,
    )
    long, out = run_lines(shipped_knowledge, ["my calf feels hot", *never_ending(loop)], json_input=True)
    assert out.events > LINES  # every line was answered
    assert_not_grown(kept_by(short.dialog), kept_by(long.dialog))
    assert set(vars(long)) == {"dialog", "_outputs", "_summaries", "_started"}
