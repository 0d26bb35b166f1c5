"""Bad input never crashes a conversation, in any state, and the person can still get a result.

Hypothesis throws random utterances at the dialog (empty, huge, control characters, lone
surrogates, emoji, other scripts, jumbled domain words, many repeats) after a prefix that puts it
in each state. Every step must give well-formed events, with a question pending whenever the
conversation is not over; sensible answers afterwards must still lead to a result.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.app.output import JsonLinesOutput, TextOutput
from assistant.app.session import Session
from assistant.app.textio import MAX_LINE, run_text
from assistant.base.events import Ask, End, Event, Result, Say, event_to_json
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from tests.support import examples

#: A prefix of sensible answers for each state, and the question then pending.
STATES: dict[str, tuple[tuple[str, ...], str]] = {
    "complaint": ((), "complaint"),
    "confirm": (("toe",), "confirm_intent"),
    "yes_no_red_flag": (("my big toe hurts",), "fever"),
    "choice": (("my big toe hurts", "no"), "started"),
    "yes_no_with_reprompt": (("my big toe hurts", "no", "today"), "swollen"),
    "number": (("my big toe hurts", "no", "today", "yes"), "age"),
    "summary_offer": (("my big toe hurts", "no", "today", "yes", "45"), "save_summary"),
}

SPECIALS = [
    "",
    " ",
    "\n",
    "\x00",
    "\x00\x01\x02\x1b[31mred\x1b[0m",
    "\u202eecnetnes desrever",
    "\ufeffyes",
    "\u200b\u200b\u200b",
    "🦶🔥😭",
    "👨‍👩‍👧‍👦" * 50,
    "मेरे पैर की अंगुली में दर्द है",
    "我的大脚趾疼",
    "у меня болит палец",
    "إصبع قدمي يؤلمني",
    "٣٤",
    "①②③",
    "Ⅻ",
    "e\u0301" * 500,
    "9" * 5000,
    "-1",
    "1e309",
    "nan",
    "inf",
    "0x10",
    "1_000",
    "thousand " * 400,
    "hundred " * 400,
    "twenty thirty forty",
    "yes no yes no",
    "not not not yes",
    "no chest pain",
    '{"text": "yes"}',
    "'; DROP TABLE answers; --",
    "{emergency_number}",
    "%s %d %(x)s {0} {}",
    "\\N{BELL}",
]

DOMAIN_WORDS = [
    "yes", "no", "not", "sure", "maybe", "today", "week", "longer", "ago", "toe", "big", "hurts",
    "swollen", "fever", "45", "forty", "two", "200", "-3", "repeat", "help", "go", "back", "what",
    "do", "you", "mean", "hello", "the", "and", "or", "never", "first", "last",
]  # fmt: skip

surrogate_text = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=5)
huge = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["toe ", "yes ", "🦶", "\x00", "thousand ", "9", "a" * 50, "é\u0301", "no "]),
    st.integers(100, 6000),
)
noise = st.one_of(
    st.text(max_size=60),
    st.text(st.characters(codec="utf-8"), max_size=30).flatmap(
        lambda t: surrogate_text.map(lambda s: t + s + t)
    ),
    st.sampled_from(SPECIALS),
    huge,
    st.lists(st.sampled_from(DOMAIN_WORDS), max_size=12).map(" ".join),
)
#: Each utterance, said 1 to 25 times in a row (people repeat themselves; so do stuck recognizers).
turns = st.lists(st.tuples(noise, st.sampled_from([1, 1, 1, 2, 3, 25])), min_size=1, max_size=5)


def check_step(dialog: Dialog, events: list[Event]) -> None:
    for event in events:
        line = event_to_json(event)
        line.encode("utf-8")  # strict: no lone surrogate may reach the output
        assert "\n" not in line
        assert json.loads(line)["type"] == event.type
    if dialog.finished:
        assert not events or isinstance(events[-1], End)
        assert dialog.pending is None
    else:
        assert events, "a step that does not end the conversation must say something"
        assert isinstance(events[-1], Ask), events
        assert dialog.pending == events[-1]


def is_ending_command(knowledge: Knowledge, text: str) -> bool:
    return knowledge.commands.command(text) in ("stop", "goodbye")


def start_in(dialog: Dialog, state: str) -> list[Event]:
    prefix, question = STATES[state]
    events = dialog.start()
    for line in prefix:
        events += dialog.handle(line)
    pending = dialog.pending
    assert pending is not None and pending.question == question
    return events


@pytest.mark.parametrize("state", list(STATES))
@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(said=turns)
def test_noise_in_every_state_never_breaks_the_conversation(
    state: str,
    said: list[tuple[str, int]],
    make_dialog: Callable[..., Dialog],
    knowledge: Knowledge,
    sensible: Callable[[Dialog, list[Event]], list[Event]],
) -> None:
    dialog = make_dialog()
    events = start_in(dialog, state)
    ended_by_command = False
    for text, times in said:
        for _ in range(times):
            step = dialog.handle(text)
            check_step(dialog, step)
            events += step
        ended_by_command |= is_ending_command(knowledge, text)
    # Silence and end of input are also "noise" a conversation must take in its stride.
    step = dialog.no_speech()
    check_step(dialog, step)
    events += step

    events = sensible(dialog, events)
    assert dialog.finished
    end = events[-1]
    assert isinstance(end, End)
    if end.reason == "stopped":
        assert ended_by_command, f"stopped without a stop command: {said!r}"
    elif end.reason == "out_of_scope":
        # Twice nothing it can help with: the general safety net, then the end.
        assert isinstance(events[-2], Say) and "911" in events[-2].text
    else:
        assert end.reason == "completed"
        assert any(isinstance(e, Result) for e in events)


@settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=st.lists(st.binary(max_size=200), max_size=8))
def test_random_bytes_through_run_text(garbage: list[bytes], knowledge: Knowledge) -> None:
    """Non-UTF-8 bytes, NULs and stray newlines on stdin: JSON out stays valid, the talk goes on."""
    lines = [b.replace(b"\n", b" ") for b in garbage]
    script = b"\n".join([*lines, b"my big toe hurts", b"no", b"today", b"yes", b"45", b"no"]) + b"\n"
    out = io.StringIO()
    text_out = io.StringIO()
    dialog = Dialog(knowledge, Settings())
    session = Session(dialog, [JsonLinesOutput(out), TextOutput(text_out)])
    assert run_text(session, io.BytesIO(script), out, prompt=False) == 0
    parsed = [json.loads(line) for line in out.getvalue().splitlines()]
    out.getvalue().encode("utf-8")
    text_out.getvalue().encode("utf-8")
    assert parsed[-1]["type"] == "end"
    assert dialog.finished


@pytest.mark.parametrize("size", [MAX_LINE - 1, MAX_LINE, MAX_LINE + 1, 10 * MAX_LINE + 7, 1_000_000])
def test_overlong_lines_are_one_utterance(size: int, knowledge: Knowledge) -> None:
    """A line longer than MAX_LINE is cut: the rest of it is not taken as further answers."""
    flood = (b"yes " * (size // 4 + 1))[:size]
    script = b"my big toe hurts\n" + flood + b"\nno\ntoday\n"
    out = io.StringIO()
    dialog = Dialog(knowledge, Settings())
    session = Session(dialog, [JsonLinesOutput(out)])
    run_text(session, io.BytesIO(script), out, prompt=False)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    answers = [e for e in events if e["type"] == "answer"]
    # The flood answered "fever" (one utterance of many yeses) or was not understood; never more.
    assert len([a for a in answers if a["question"] == "fever"]) <= 1
    assert events[-1]["type"] == "end"
    for e in events:
        assert len(e.get("heard", "")) <= 2000


def test_a_very_long_conversation_of_noise_stays_bounded(make_dialog: Callable[..., Dialog]) -> None:
    """Thousands of not-understood turns: the dialog moves on (three misses a question at most) and
    ends, and its state does not grow with them."""
    dialog: Dialog = make_dialog()
    start_in(dialog, "number")
    sizes = []
    turns = 0
    while not dialog.finished and turns < 3000:
        check_step(dialog, dialog.handle("blah " + "x" * (turns % 7)))
        sizes.append(len(repr(dialog.state)))
        turns += 1
    assert dialog.finished and turns < 40
    assert max(sizes) <= sizes[0] + 2000
