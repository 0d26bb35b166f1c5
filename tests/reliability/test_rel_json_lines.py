"""JSON-lines input: every malformed line gives an ``error`` event, then the pending ``ask``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.app.output import JsonLinesOutput
from assistant.app.session import Session
from assistant.app.textio import MAX_LINE, feed_json_line, run_text
from assistant.base.events import Ask, Error, Event
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from tests.support import examples

PREFIXES = {
    "complaint": (),
    "confirm": ('{"text": "toe"}',),
    "yes_no": ('{"text": "my big toe hurts"}',),
    "choice": ('{"text": "my big toe hurts"}', "no"),
    "number": ('{"text": "my big toe hurts"}', "no", "today", "yes"),
    "summary_offer": ('{"text": "my big toe hurts"}', "no", "today", "yes", "45"),
}

MALFORMED = [
    "{",
    "{}",
    "{ not json at all",
    '{"text": }',
    '{"text": "unterminated',
    "{'text': 'single quotes'}",
    '{"text": 42}',
    '{"text": null}',
    '{"text": ["yes"]}',
    '{"text": {"text": "yes"}}',
    '{"text": true}',
    '{"silence": "yes"}',
    '{"silence": 1}',
    '{"silence": false}',
    '{"Text": "yes"}',
    '{"speech": "yes"}',
    '{"text": "a\x00b"}',
    '{"text": "\x07"}',
    '{"text": "yes"} trailing',
    '{"text": "yes"}{"text": "no"}',
    '{"text": NaN}',
    '{"a": 1e999999}',
    "{" + '"a":' + "[" * 20000,
    "{" + '"a":' + "{" * 5000,
    '{"text": "' + "x" * 100,
    "{\ufffd\ufffd}",
    "{\x00\x00\x00}",
]


class Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)


def session_in(knowledge: Knowledge, state: str) -> tuple[Session, Recorder]:
    recorder = Recorder()
    session = Session(Dialog(knowledge, Settings()), [recorder])
    session.start()
    for line in PREFIXES[state]:
        feed_json_line(session, line)
    assert session.dialog.pending is not None
    return session, recorder


def assert_refused(session: Session, recorder: Recorder, line: str) -> None:
    pending = session.dialog.pending
    before = len(recorder.events)
    state = repr(session.dialog.state)
    feed_json_line(session, line)
    new = recorder.events[before:]
    assert len(new) == 2, new
    assert isinstance(new[0], Error)
    assert isinstance(new[1], Ask)
    assert new[1] == pending
    assert repr(session.dialog.state) == state, "a refused line must not change the conversation"
    json.loads(json.dumps({"m": new[0].message}))


@pytest.mark.parametrize("state", list(PREFIXES))
@pytest.mark.parametrize("line", MALFORMED, ids=range(len(MALFORMED)))
def test_each_malformed_line_is_an_error_then_the_question(
    knowledge: Knowledge, state: str, line: str
) -> None:
    session, recorder = session_in(knowledge, state)
    assert_refused(session, recorder, line)


wrong_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)
wrong_objects = st.one_of(
    st.builds(lambda v: {"text": v}, wrong_values),
    st.builds(lambda v: {"silence": v}, wrong_values.filter(lambda v: v is not True)),
    st.dictionaries(
        st.text(max_size=8).filter(lambda k: k not in ("text", "silence")), wrong_values, max_size=4
    ),
)
broken_json = st.builds(
    lambda body, cut: ("{" + body)[: max(1, cut)], st.text(max_size=80), st.integers(1, 60)
).filter(lambda s: not _is_valid(s))


def _is_valid(line: str) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


@settings(
    max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(line=st.one_of(wrong_objects.map(json.dumps), broken_json), state=st.sampled_from(list(PREFIXES)))
def test_random_malformed_lines_are_refused(knowledge: Knowledge, line: str, state: str) -> None:
    session, recorder = session_in(knowledge, state)
    assert_refused(session, recorder, line)


def test_through_run_text_with_nul_bytes_huge_lines_and_bad_utf8(knowledge: Knowledge) -> None:
    """A whole stream of bad lines, then good ones: one error+ask per bad line, then a result."""
    bad = [
        b'{"text": "a\x00b"}',
        b"{" + b"[" * (3 * MAX_LINE),  # a huge line, cut at MAX_LINE: one error, the rest skipped
        b'{"text": "\xff\xfe"',
        b"{\x00}",
        b'{"text": 5}',
    ]
    good = [b'{"text": "my big toe hurts"}', b'{"text": "no"}', b"today", b"yes", b"45", b'{"text": "no"}']
    stream = b"\n".join([*bad, *good]) + b"\n"
    out = io.StringIO()
    session = Session(Dialog(knowledge, Settings()), [JsonLinesOutput(out)])
    assert run_text(session, io.BytesIO(stream), out, prompt=False, json_input=True) == 0
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    types = [e["type"] for e in events]
    # greeting, first ask, then (error, ask) for each bad line
    assert types[:2] == ["say", "ask"]
    assert types[2 : 2 + 2 * len(bad)] == ["error", "ask"] * len(bad)
    assert all(e == events[1] for e in events[3 : 2 + 2 * len(bad) : 2])
    assert [e["triage"] for e in events if e["type"] == "result"] == ["urgent"]
    assert events[-1] == {"type": "end", "reason": "completed"}


def test_the_cli_answers_malformed_lines_without_a_crash(cli: Any) -> None:
    toy = Path(__file__).resolve().parent.parent / "data" / "intents"
    lines = (
        b'{"text": \n{"text": 7}\n{'
        + b"[" * 50000
        + b'\n\x00\x01{\n{"text": "my big toe hurts"}\n{"text": "yes"}\n'
    )
    run = cli.run(["--text", "--json", "--intents", str(toy)], lines)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    events = [json.loads(line) for line in run.stdout.splitlines()]
    assert [e["type"] for e in events[2:8]] == ["error", "ask"] * 3
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"]
