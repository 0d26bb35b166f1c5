"""Run conversation test files through the real :class:`~assistant.conversation.dialog.Dialog`.

``assistant test [PATH...]`` runs every case and prints, for a failure, what was expected, what
happened instead, and the conversation so far. pytest runs the same files, one test per case
(``tests/authoring/test_conversations.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from assistant.authoring.casefile import NO_INTENT, Case, CaseFile, Expect, is_case_file, load_case_file
from assistant.authoring.cli_args import add_paths, parse, parser
from assistant.authoring.workspace import SHIPPED_SYSTEM
from assistant.base.errors import IntentError
from assistant.base.events import (
    Answer,
    Ask,
    End,
    Error,
    Event,
    IntentMatched,
    Result,
    Say,
    Summary,
    spoken_text,
)
from assistant.base.problems import Location, Problem, display_path
from assistant.base.settings import Settings
from assistant.content.field_reader import did_you_mean
from assistant.content.knowledge import Knowledge, default_intent_dirs, load_knowledge
from assistant.content.located_yaml import load_yaml
from assistant.conversation.dialog import COMPLAINT, CONFIRM, SAVE_SUMMARY, Dialog

log = logging.getLogger(__name__)

#: Question ids the dialog itself asks.
DIALOG_QUESTIONS = (COMPLAINT, CONFIRM, SAVE_SUMMARY)


@dataclass
class TurnRecord:
    said: str | None
    events: list[Event]


@dataclass
class CaseResult:
    case: Case
    #: Empty when the case passed.
    failures: list[str] = field(default_factory=list)
    #: Index of the failing turn (1-based), 0 when it passed.
    failed_turn: int = 0
    transcript: list[TurnRecord] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def report(self) -> str:
        """A readable account of a failure: expected against got, then the conversation."""
        case = self.case
        lines = [f"FAIL {case.id}  ({case.location})"]
        turn = case.turns[self.failed_turn - 1]
        said = "(silence)" if turn.say is None else repr(turn.say)
        lines.append(f"  at turn {self.failed_turn} ({turn.location}), the person says {said}:")
        lines += [f"    {f}" for f in self.failures]
        lines.append("  the conversation so far:")
        lines += [f"    {line}" for line in render_transcript(self.transcript)]
        return "\n".join(lines)


def render_transcript(records: Sequence[TurnRecord]) -> list[str]:
    lines: list[str] = []
    for record in records:
        if record.said is not None:
            lines.append(f"person:    {record.said}")
        elif record is not records[0]:
            lines.append("person:    (silence)")
        for event in record.events:
            lines.append(_render_event(event))
    return lines


def _render_event(event: Event) -> str:
    if isinstance(event, Ask):
        return f"assistant: {event.text}   [asks {event.question}]"
    if isinstance(event, Result):
        causes = ", ".join(c.id for c in event.causes) or "none"
        return f"assistant: {event.text}   [result: {event.triage}; causes: {causes}]"
    if isinstance(event, Say):
        return f"assistant: {event.text}"
    if isinstance(event, IntentMatched):
        return f"           [intent {event.intent}, score {event.score}]"
    if isinstance(event, Answer):
        assumed = ", assumed" if event.assumed else ""
        return f"           [understood {event.question} = {event.value}{assumed}]"
    if isinstance(event, Summary):
        return "           [summary]"
    if isinstance(event, Error):
        return f"           [error: {event.message}]"
    if isinstance(event, End):
        return f"           [end: {event.reason}]"
    return f"           [{event.type}]"  # always-on mode's waiting and waking: not in a conversation


def run_case(case: Case, knowledge: Knowledge) -> CaseResult:
    settings = Settings(emergency_number=case.emergency_number, offer_summary=case.offer_summary)
    dialog = Dialog(knowledge, settings)
    result = CaseResult(case, transcript=[TurnRecord(None, dialog.start())])
    for n, turn in enumerate(case.turns, start=1):
        events = dialog.no_speech() if turn.say is None else dialog.handle(turn.say)
        result.transcript.append(TurnRecord(turn.say, events))
        failures = compare(turn.expect, events, dialog.number)
        if failures:
            result.failures, result.failed_turn = failures, n
            break
    return result


def compare(expect: Expect, events: list[Event], number: str) -> list[str]:
    """What differs between the expectation and this turn's events (empty: all as expected)."""
    out: list[str] = []
    matched = [e.intent for e in events if isinstance(e, IntentMatched)]
    asks = [e for e in events if isinstance(e, Ask)]
    answers = [e for e in events if isinstance(e, Answer)]
    results = [e for e in events if isinstance(e, Result)]
    ends = [e.reason for e in events if isinstance(e, End)]

    def differ(what: str, expected: object, got: object) -> None:
        out.append(f"{what}: expected {expected!r}, got {got!r}")

    if expect.intent is not None:
        if expect.intent == NO_INTENT and matched:
            differ("intent", "none", matched[0])
        elif expect.intent != NO_INTENT and expect.intent not in matched:
            got = (
                matched[0]
                if matched
                else "nothing matched"
                + (f" (asked {asks[-1].text!r})" if asks and asks[-1].question == CONFIRM else "")
            )
            differ("intent", expect.intent, got)
    if expect.asks is not None:
        got_ask = asks[-1].question if asks else "no question"
        if got_ask != expect.asks:
            differ("asks", expect.asks, got_ask)
    if expect.answer is not None:
        pool = [a for a in answers if expect.answer_question in (None, a.question)]
        what = f"answer to {expect.answer_question}" if expect.answer_question else "answer"
        if not pool:
            differ(
                what, expect.answer, "not understood" if not answers else f"{answers[0].question} answered"
            )
        elif str(pool[0].value) != str(expect.answer):
            differ(what, expect.answer, pool[0].value)
    if expect.understood is not None:
        understood = bool(answers or matched)
        if understood != expect.understood:
            differ("understood", expect.understood, understood)
    result = results[0] if results else None
    if expect.triage is not None and (result is None or result.triage != expect.triage):
        differ("triage", expect.triage, result.triage if result else "no result")
    got_causes = [c.id for c in result.causes] if result else []
    if expect.causes is not None:
        if result is None:
            differ("causes", list(expect.causes), "no result")
        elif not expect.causes and got_causes:
            differ("causes", [], got_causes)
        elif missing := [c for c in expect.causes if c not in got_causes]:
            out.append(f"causes: expected {missing!r} among the causes, got {got_causes!r}")
    if expect.top_causes is not None and got_causes[: len(expect.top_causes)] != list(expect.top_causes):
        differ(
            "top_causes",
            list(expect.top_causes),
            got_causes[: len(expect.top_causes)] if result else "no result",
        )
    spoken = " ".join(" ".join(t.split()) for e in events if (t := spoken_text(e))).lower()
    for needle in expect.says:
        want = " ".join(needle.replace("{emergency_number}", number).split())
        if want.lower() not in spoken:
            out.append(f"says: expected the reply to contain {want!r}")
    for needle in expect.not_says:
        want = " ".join(needle.replace("{emergency_number}", number).split())
        if want.lower() in spoken:
            out.append(f"not_says: expected the reply not to contain {want!r}")
    if expect.events is not None:
        got_types = [e.type for e in events]
        if got_types != list(expect.events):
            differ("events", list(expect.events), got_types)
    if expect.end is not None and expect.end not in ends:
        differ("end", expect.end, ends[0] if ends else "the conversation goes on")
    return out


def reference_problems(cf: CaseFile, knowledge: Knowledge) -> list[Problem]:
    """Ids in the test file that no loaded intent has (a typo would make a test fail for nothing)."""
    intents = {i.id: i for i in knowledge.intents}
    questions = {q.id for i in knowledge.intents for q in i.questions} | set(DIALOG_QUESTIONS)
    causes = {c.id for i in knowledge.intents for c in i.causes}
    out: list[Problem] = []
    hinted = False
    for case in cf.cases:
        for turn in case.turns:
            e = turn.expect
            checks = [
                ("intent", e.intent, {*intents, NO_INTENT, "emergency"}),
                ("asks", e.asks, questions),
                ("answer", e.answer_question, questions),
            ]
            checks += [("causes", c, causes) for c in (*(e.causes or ()), *(e.top_causes or ()))]
            for what, value, known in checks:
                if value is not None and value not in known:
                    hint = did_you_mean(value, known)
                    if what == "intent" and not hint and not hinted:
                        hint, hinted = _load_hint(cf.path), True
                    out.append(
                        Problem(turn.location, f"{what}: {value!r} is not known to the loaded intents{hint}")
                    )
    return out


def _load_hint(path: Path) -> str:
    """How to load the intents a test file is about, when they are not among the loaded ones."""
    folder = path.parent.parent if path.parent.name == "tests" else path.parent
    return (
        f"; if it is in another folder, load it too: assistant test {display_path(path)} "
        f"--intents {display_path(folder)} (or list it under intents: in the test file)"
    )


def find_case_files(paths: Sequence[Path]) -> list[Path]:
    """Test files in ``paths``: files given, and in folders their *.yaml test files and tests/ folder."""
    out: list[Path] = []
    for path in paths:
        if path.is_file():
            out.append(path)
            continue
        if not path.is_dir():
            continue
        for folder in (path, path / "tests"):
            if folder.is_dir():
                out += sorted(p for p in folder.glob("*.y*ml") if p.is_file() and _looks_like_cases(p))
    return out


def _looks_like_cases(path: Path) -> bool:
    if path.parent.name == "tests":
        return True
    loaded = load_yaml(path)
    return not loaded.problems and is_case_file(loaded.data)


def default_test_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    return [d / "tests" for d in default_intent_dirs(extra) if (d / "tests").is_dir()]


class KnowledgeCache:
    """Knowledge loaded once per set of intent paths."""

    def __init__(self, extra: Sequence[Path] = ()) -> None:
        self.extra = list(extra)
        self.loaded: dict[tuple[Path, ...], Knowledge | IntentError] = {}

    def paths_for(self, cf: CaseFile) -> tuple[Path, ...]:
        if cf.intents:
            return (SHIPPED_SYSTEM, *cf.intents, *self.extra)
        return tuple(default_intent_dirs(self.extra))

    def get(self, cf: CaseFile) -> Knowledge | IntentError:
        key = self.paths_for(cf)
        if key not in self.loaded:
            try:
                self.loaded[key] = load_knowledge(list(key))
            except IntentError as exc:
                self.loaded[key] = exc
        return self.loaded[key]


@dataclass
class FileRun:
    file: CaseFile
    problems: list[Problem]
    results: list[CaseResult]


def run_file(cf: CaseFile, cache: KnowledgeCache, name_filter: str = "") -> FileRun:
    if cf.problems:
        return FileRun(cf, cf.problems, [])
    knowledge = cache.get(cf)
    if isinstance(knowledge, IntentError):
        where = Location(display_path(cf.path))
        return FileRun(
            cf, [Problem(where, "the intents these tests need do not load:"), *knowledge.problems], []
        )
    problems = reference_problems(cf, knowledge)
    if problems:
        return FileRun(cf, problems, [])
    cases = [c for c in cf.cases if name_filter.lower() in c.id.lower()]
    return FileRun(cf, [], [run_case(c, knowledge) for c in cases])


def test_command(argv: Sequence[str], out: TextIO) -> int:
    """``assistant test [PATH...]``: 0 when every case passes, 1 on a failure, 2 on a usage error."""
    p = parser("assistant test", "Run conversation tests (YAML files with 'tests:') through the real dialog.")
    add_paths(p, "test files or folders (default: the tests/ folder beside each intents folder)")
    p.add_argument(
        "--intents", metavar="DIR", type=Path, action="append", default=[], help="also load intents from DIR"
    )
    p.add_argument(
        "-k", dest="name", default="", metavar="TEXT", help="run only cases whose name contains TEXT"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every case, not only failures")
    args = parse(p, argv, out, must_exist=lambda a: [*a.paths, *a.intents])
    if isinstance(args, int):
        return args
    paths = args.paths or default_test_dirs(args.intents)
    files = find_case_files(paths)
    if not files:
        out.write("no conversation test files found (YAML files with a top-level 'tests:' key)\n")
        return 1
    cache = KnowledgeCache(args.intents)
    passed = failed = broken = 0
    for path in files:
        run = run_file(load_case_file(path), cache, args.name)
        for problem in run.problems:
            out.write(f"{problem}\n")
        broken += bool(run.problems)
        for r in run.results:
            if r.passed:
                passed += 1
                if args.verbose:
                    out.write(f"ok   {r.case.id}\n")
            else:
                failed += 1
                out.write(r.report() + "\n\n")
    summary = f"{passed} passed, {failed} failed"
    if broken:
        summary += f", {broken} file{'s' if broken != 1 else ''} with problems"
    out.write(f"{summary} ({len(files)} file{'s' if len(files) != 1 else ''})\n")
    return 0 if not failed and not broken else 1
