"""Conversation test files: what the person says, turn by turn, and what must happen.

A file holds ``tests:``, a list of cases; each case has a ``name`` and ``turns``, each turn a
``say:`` (or ``silence: true``) and an optional ``expect:``::

    tests:
      - name: a swollen toe since this morning is urgent
        turns:
          - say: my big toe hurts
            expect: {intent: toe_pain, asks: fever}
          - say: no
            expect: {answer: "no", asks: started}

Unquoted ``yes``/``no`` are fine here: they are read back as the words written.
Problems are collected with their line, like the intent loader's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.base.conditions import AnswerValue
from assistant.base.events import TRIAGE_LEVELS
from assistant.base.problems import Location, Problem
from assistant.content.field_reader import Reader, did_you_mean
from assistant.content.located_yaml import LoadedYaml, YamlPath, load_yaml

FILE_KEYS = {"tests", "intents"}
CASE_KEYS = {"name", "turns", "settings"}
SETTINGS_KEYS = {"emergency_number", "offer_summary"}
TURN_KEYS = {"say", "silence", "expect"}
EXPECT_KEYS = {
    "intent",
    "asks",
    "answer",
    "understood",
    "triage",
    "causes",
    "top_causes",
    "says",
    "not_says",
    "events",
    "end",
}
EVENT_TYPES = ("say", "ask", "intent", "answer", "result", "summary", "error", "end")
END_REASONS = ("completed", "stopped", "end_of_input", "no_response", "out_of_scope")
#: ``intent: none``: nothing was matched in this turn.
NO_INTENT = "none"


@dataclass(frozen=True)
class Expect:
    """What must happen in one turn; None (or empty) means "not checked"."""

    intent: str | None = None
    asks: str | None = None
    #: The value the answer was understood as; with ``answer_question``, for that question.
    answer: AnswerValue | None = None
    answer_question: str | None = None
    understood: bool | None = None
    triage: str | None = None
    causes: tuple[str, ...] | None = None
    top_causes: tuple[str, ...] | None = None
    says: tuple[str, ...] = ()
    not_says: tuple[str, ...] = ()
    events: tuple[str, ...] | None = None
    end: str | None = None


@dataclass(frozen=True)
class Turn:
    say: str | None  # None: silence
    expect: Expect
    location: Location


@dataclass(frozen=True)
class Case:
    name: str
    turns: tuple[Turn, ...]
    location: Location
    path: Path
    emergency_number: str | None = None
    offer_summary: bool = True

    @property
    def id(self) -> str:
        """The case's name in pytest and in reports: ``file-stem: name``."""
        return f"{self.path.stem}: {self.name}"


@dataclass
class CaseFile:
    path: Path
    cases: list[Case] = field(default_factory=list)
    #: Intent folders or files to load instead of the default ones (relative to this file).
    intents: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: LoadedYaml | None = None

    def intents_expected(self) -> set[str]:
        return {
            t.expect.intent for c in self.cases for t in c.turns if t.expect.intent not in (None, NO_INTENT)
        }


def is_case_file(data: Any) -> bool:
    return isinstance(data, dict) and "tests" in data and "intent" not in data and "system" not in data


def load_case_file(path: Path) -> CaseFile:
    """Read one conversation test file; problems are collected, never raised."""
    loaded = load_yaml(path)
    out = CaseFile(path, source=loaded, problems=list(loaded.problems))
    if loaded.problems:
        return out
    r = Reader(loaded)
    top = r.mapping((), loaded.data, what="a conversation test file", allowed=FILE_KEYS, required=("tests",))
    if top is not None:
        for i, item in enumerate(r.texts(("intents",), top.get("intents"), what="intents")):
            out.intents.append((path.parent / item) if not Path(item).is_absolute() else Path(item))
            del i
        names: set[str] = set()
        for i, item in enumerate(r.sequence(("tests",), top.get("tests"), what="tests", min_items=1)):
            case = _case(r, path, ("tests", i), item)
            if case is None:
                continue
            if case.name in names:
                r.report(
                    ("tests", i, "name"),
                    f"the test name {case.name!r} is used twice in this file; give each test its own name",
                )
            names.add(case.name)
            out.cases.append(case)
    out.problems.extend(r.problems)
    return out


def _words(r: Reader, path: YamlPath, value: Any) -> str | None:
    """Text, where an unquoted yes/no/on/off means the word written."""
    if isinstance(value, bool) and path in r.y.boolean_words:
        return r.y.boolean_words[path].lower()
    return r.text(path, value, what="the text")


def _case(r: Reader, file: Path, path: YamlPath, value: Any) -> Case | None:
    m = r.mapping(path, value, what="a test", allowed=CASE_KEYS, required=("name", "turns"))
    if m is None:
        return None
    name = r.text((*path, "name"), m.get("name"), what="the test name")
    settings = (
        r.mapping((*path, "settings"), m.get("settings") or {}, what="settings", allowed=SETTINGS_KEYS) or {}
    )
    number = r.text(
        (*path, "settings", "emergency_number"),
        settings.get("emergency_number"),
        what="emergency_number",
        required=False,
    )
    offer = settings.get("offer_summary", True)
    if not isinstance(offer, bool):
        r.report((*path, "settings", "offer_summary"), "offer_summary should be true or false")
        offer = True
    turns: list[Turn] = []
    for j, item in enumerate(r.sequence((*path, "turns"), m.get("turns"), what="turns", min_items=1)):
        turn = _turn(r, (*path, "turns", j), item)
        if turn is not None:
            turns.append(turn)
    if name is None or not turns:
        return None
    return Case(name, tuple(turns), r.y.at(path), file, number, offer)


def _turn(r: Reader, path: YamlPath, value: Any) -> Turn | None:
    m = r.mapping(path, value, what="a turn", allowed=TURN_KEYS)
    if m is None:
        return None
    if ("say" in m) == ("silence" in m):
        r.report(path, "a turn needs either 'say: <what the person says>' or 'silence: true'")
        return None
    say: str | None = None
    if "say" in m:
        say = _words(r, (*path, "say"), m["say"])
        if say is None:
            return None
    elif m["silence"] is not True:
        r.report((*path, "silence"), "write 'silence: true' for a turn where nothing is heard")
        return None
    expect = _expect(r, (*path, "expect"), m.get("expect"))
    return Turn(say, expect, r.y.at(path))


def _expect(r: Reader, path: YamlPath, value: Any) -> Expect:
    if value is None:
        return Expect()
    m = r.mapping(path, value, what="expect", allowed=EXPECT_KEYS)
    if m is None:
        return Expect()
    answer, answer_q = _answer(r, (*path, "answer"), m.get("answer"))
    triage = _one_of(r, (*path, "triage"), m.get("triage"), TRIAGE_LEVELS, "triage")
    end = _one_of(r, (*path, "end"), m.get("end"), END_REASONS, "end")
    events = None
    if "events" in m:
        events = r.texts((*path, "events"), m["events"], what="events")
        for k, ev in enumerate(events):
            if ev not in EVENT_TYPES:
                r.report(
                    (*path, "events", k),
                    f"{ev!r} is not an event type; use "
                    + ", ".join(EVENT_TYPES)
                    + did_you_mean(ev, EVENT_TYPES),
                )
    understood = m.get("understood")
    if understood is not None and not isinstance(understood, bool):
        r.report((*path, "understood"), "understood should be true or false")
        understood = None
    return Expect(
        intent=_ident_or_none(r, (*path, "intent"), m.get("intent")),
        asks=_ident_or_none(r, (*path, "asks"), m.get("asks")),
        answer=answer,
        answer_question=answer_q,
        understood=understood,
        triage=triage,
        causes=r.texts((*path, "causes"), m["causes"], what="causes") if "causes" in m else None,
        top_causes=r.texts((*path, "top_causes"), m["top_causes"], what="top_causes")
        if "top_causes" in m
        else None,
        says=r.texts((*path, "says"), m.get("says"), what="says"),
        not_says=r.texts((*path, "not_says"), m.get("not_says"), what="not_says"),
        events=events,
        end=end,
    )


def _ident_or_none(r: Reader, path: YamlPath, value: Any) -> str | None:
    return None if value is None else r.ident(path, value, what="the id")


def _one_of(r: Reader, path: YamlPath, value: Any, allowed: tuple[str, ...], what: str) -> str | None:
    if value is None:
        return None
    text = r.text(path, value, what=what)
    if text is not None and text not in allowed:
        r.report(path, f"{what} {text!r} is not one of " + ", ".join(allowed) + did_you_mean(text, allowed))
        return None
    return text


def _answer(r: Reader, path: YamlPath, value: Any) -> tuple[AnswerValue | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, dict):
        if len(value) != 1:
            r.report(path, "write one question and its answer, e.g. 'answer: {fever: \"no\"}'")
            return None, None
        ((qid, inner),) = value.items()
        return _answer_value(r, (*path, qid), inner), str(qid)
    return _answer_value(r, path, value), None


def _answer_value(r: Reader, path: YamlPath, value: Any) -> AnswerValue | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _words(r, path, value)
