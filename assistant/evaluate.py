"""``assistant evaluate``: play clinical vignettes through the real dialog and score the outcome.

Each vignette is a simulated patient: it says its opening complaint, then answers every question
from its ``facts`` (keyed by question id), saying "I don't know" to anything else and "no" to the
offer of a summary. The report follows the published audits of symptom checkers (Semigran 2015,
Hill 2020, Gilbert 2020): triage accuracy overall and per level, over- and under-triage, missed
emergencies, the expected cause in the top 1 and top 3, and questions asked, with Wilson 95%
confidence intervals.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

from assistant.dialog import Dialog
from assistant.errors import AssistantError
from assistant.events import TRIAGE_LEVELS, Ask, Event, Result, Say, TriageLevel
from assistant.knowledge import Knowledge, default_intent_dirs, load_knowledge
from assistant.problems import Location, Problem
from assistant.settings import Settings
from assistant.yamlsource import LoadedYaml, YamlPath, load_yaml

log = logging.getLogger(__name__)

#: What the simulated patient says to a question its facts do not answer.
UNKNOWN_ANSWER = "I don't know"
#: Questions that are part of the conversation, not of the clinical assessment.
NOT_CLINICAL = frozenset({"complaint", "confirm_intent", "save_summary"})
#: A conversation longer than this many turns is reported as stuck.
MAX_TURNS = 80
VIGNETTE_KEYS = {"id", "says", "facts", "expected", "acceptable", "causes", "note"}

#: Published figures the report is compared with (see docs/clinical-content.md).
REFERENCE = (
    "Semigran 2015, 23 symptom checkers: about 80% of emergencies given emergency advice, "
    "57% of all vignettes triaged right, correct cause in the top 3 in 51%.",
    "Gilbert 2020, 8 apps against GPs: best app (Ada) correct cause in the top 3 in about 70%, GPs 82%.",
)


class VignetteError(AssistantError):
    """A vignette file cannot be used; the message lists every problem as path:line."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the vignette file; fix and run again:"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


@dataclass(frozen=True)
class Vignette:
    id: str
    says: str
    facts: dict[str, str]
    expected: TriageLevel
    acceptable: tuple[TriageLevel, ...]
    causes: tuple[str, ...]
    note: str = ""
    location: str = ""


@dataclass(frozen=True)
class Outcome:
    """What happened when one vignette was played."""

    id: str
    expected: TriageLevel
    acceptable: tuple[TriageLevel, ...]
    triage: TriageLevel | None
    causes: tuple[str, ...]
    expected_causes: tuple[str, ...]
    questions: int
    transcript: tuple[str, ...] = ()
    error: str = ""

    @property
    def exact(self) -> bool:
        return self.triage == self.expected

    @property
    def within(self) -> bool:
        return self.triage is not None and self.triage in self.acceptable

    @property
    def under(self) -> bool:
        """Less urgent than expected (no result at all counts as under-triage)."""
        return self.triage is None or _rank(self.triage) > _rank(self.expected)

    @property
    def over(self) -> bool:
        return self.triage is not None and _rank(self.triage) < _rank(self.expected)

    @property
    def missed_emergency(self) -> bool:
        return self.expected == "emergency" and self.triage != "emergency"

    @property
    def top1(self) -> bool:
        return bool(self.expected_causes) and self.causes[:1] == self.expected_causes[:1]

    @property
    def top3(self) -> bool:
        return bool(self.expected_causes) and set(self.expected_causes) <= set(self.causes[:3])


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.hits, self.total)

    def text(self) -> str:
        if not self.total:
            return "n/a"
        low, high = self.interval
        return f"{self.hits}/{self.total} = {self.value:.0%} (95% CI {low:.0%} to {high:.0%})"

    def to_dict(self) -> dict[str, Any]:
        low, high = self.interval
        return {"hits": self.hits, "total": self.total, "rate": self.value, "ci95": [low, high]}


@dataclass(frozen=True)
class LevelStats:
    level: TriageLevel
    exact: Rate
    within: Rate
    over: int
    under: int


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, hits: Sequence[bool]) -> Rate:
        return Rate(sum(hits), len(hits))

    @property
    def exact(self) -> Rate:
        return self._rate([o.exact for o in self.outcomes])

    @property
    def within(self) -> Rate:
        return self._rate([o.within for o in self.outcomes])

    @property
    def top1(self) -> Rate:
        return self._rate([o.top1 for o in self.outcomes if o.expected_causes])

    @property
    def top3(self) -> Rate:
        return self._rate([o.top3 for o in self.outcomes if o.expected_causes])

    @property
    def missed_emergencies(self) -> list[str]:
        return [o.id for o in self.outcomes if o.missed_emergency]

    @property
    def emergencies_caught(self) -> Rate:
        return self._rate([not o.missed_emergency for o in self.outcomes if o.expected == "emergency"])

    @property
    def questions(self) -> list[int]:
        return [o.questions for o in self.outcomes if not o.error]

    @property
    def median_questions(self) -> float:
        return float(statistics.median(self.questions)) if self.questions else 0.0

    @property
    def max_questions(self) -> int:
        return max(self.questions, default=0)

    def levels(self) -> list[LevelStats]:
        out = []
        for level in TRIAGE_LEVELS:
            group = [o for o in self.outcomes if o.expected == level]
            out.append(
                LevelStats(
                    level,
                    self._rate([o.exact for o in group]),
                    self._rate([o.within for o in group]),
                    sum(o.over for o in group),
                    sum(o.under for o in group),
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "vignettes": len(self.outcomes),
            "triage_exact": self.exact.to_dict(),
            "triage_within_acceptable": self.within.to_dict(),
            "emergencies_caught": self.emergencies_caught.to_dict(),
            "missed_emergencies": self.missed_emergencies,
            "levels": {
                s.level: {
                    "exact": s.exact.to_dict(),
                    "within_acceptable": s.within.to_dict(),
                    "over_triage": s.over,
                    "under_triage": s.under,
                }
                for s in self.levels()
            },
            "cause_top1": self.top1.to_dict(),
            "cause_top3": self.top3.to_dict(),
            "questions": {"median": self.median_questions, "max": self.max_questions},
            "reference": list(REFERENCE),
            "outcomes": [
                {k: v for k, v in asdict(o).items() if k != "transcript"}
                | {"exact": o.exact, "within": o.within, "top3": o.top3}
                for o in self.outcomes
            ],
        }

    def to_text(self) -> str:
        lines = [f"Vignettes: {len(self.outcomes)}", ""]
        lines.append(f"Triage exactly right:        {self.exact.text()}")
        lines.append(f"Triage within acceptable:    {self.within.text()}")
        lines.append(f"Emergencies caught:          {self.emergencies_caught.text()}")
        missed = self.missed_emergencies
        lines.append("Emergencies missed:          " + (", ".join(missed) if missed else "none"))
        lines.append("")
        lines.append(
            f"{'expected level':<15}{'n':>4}  {'exact':>6}  {'acceptable':>10}  {'over':>5}  {'under':>5}"
        )
        for s in self.levels():
            if not s.exact.total:
                continue
            lines.append(
                f"{s.level:<15}{s.exact.total:>4}  {s.exact.value:>6.0%}  {s.within.value:>10.0%}"
                f"  {s.over:>5}  {s.under:>5}"
            )
        lines.append("")
        lines.append(f"Expected cause named first:  {self.top1.text()}")
        lines.append(f"Expected causes in top 3:    {self.top3.text()}")
        lines.append(
            f"Questions asked:             median {self.median_questions:g}, max {self.max_questions}"
        )
        wrong = [o for o in self.outcomes if not o.within or not o.top3 or o.error]
        if wrong:
            lines.append("")
            lines.append("Needs a look:")
            for o in wrong:
                detail = o.error or (
                    f"expected {o.expected}, got {o.triage}; causes {', '.join(o.causes) or 'none'}"
                    f" (wanted {', '.join(o.expected_causes)})"
                )
                lines.append(f"  {o.id}: {detail}")
        lines.append("")
        lines.append("For comparison:")
        lines.extend(f"  {ref}" for ref in REFERENCE)
        return "\n".join(lines)


def wilson(hits: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default)."""
    if total <= 0:
        return (0.0, 0.0)
    p = hits / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _rank(level: TriageLevel) -> int:
    return TRIAGE_LEVELS.index(level)


# -- loading ----------------------------------------------------------------------------------
def load_vignettes(path: Path, knowledge: Knowledge | None = None) -> list[Vignette]:
    """Read and check a vignette file; raise VignetteError listing every problem."""
    loaded = load_yaml(path)
    problems = list(loaded.problems)
    if problems or loaded.data is None:
        raise VignetteError(problems or [Problem(Location(loaded.shown_path, 1), "the file is empty")])
    data = loaded.data
    items = data.get("vignettes") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        where = loaded.at(("vignettes",) if isinstance(data, dict) else ())
        raise VignetteError([Problem(where, "expected a list of vignettes (or 'vignettes:' holding one)")])
    base: YamlPath = ("vignettes",) if isinstance(data, dict) else ()
    questions = {q.id for i in knowledge.intents for q in i.questions} if knowledge else None
    causes = {c.id for i in knowledge.intents for c in i.causes} if knowledge else None
    out: list[Vignette] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        vignette = _vignette(loaded, (*base, index), item, problems, questions, causes)
        if vignette is None:
            continue
        if vignette.id in seen:
            problems.append(
                Problem(loaded.at((*base, index, "id")), f"the vignette id {vignette.id!r} is used twice")
            )
        seen.add(vignette.id)
        out.append(vignette)
    if problems:
        raise VignetteError(problems)
    return out


def _vignette(
    loaded: LoadedYaml,
    path: YamlPath,
    item: Any,
    problems: list[Problem],
    questions: set[str] | None,
    causes: set[str] | None,
) -> Vignette | None:
    def report(sub: YamlPath, message: str) -> None:
        problems.append(Problem(loaded.at((*path, *sub)), message))

    if not isinstance(item, dict):
        report((), "a vignette should be a mapping with id, says, facts, expected, acceptable, causes")
        return None
    for key in item:
        if key not in VIGNETTE_KEYS:
            report((key,), f"unknown key {key!r}; a vignette has " + ", ".join(sorted(VIGNETTE_KEYS)))
    missing = [k for k in ("id", "says", "expected") if not item.get(k)]
    for key in missing:
        report((), f"the vignette has no {key!r}")
    vid, says = str(item.get("id", "")), item.get("says")
    if says is not None and not isinstance(says, str):
        report(("says",), "'says' should be the words the person says first")
    expected = item.get("expected")
    if expected is not None and expected not in TRIAGE_LEVELS:
        report(("expected",), f"expected {expected!r} is not one of " + ", ".join(TRIAGE_LEVELS))
    acceptable_raw = item.get("acceptable", [expected])
    if not isinstance(acceptable_raw, list):
        report(("acceptable",), "acceptable should be a list of triage levels")
        acceptable_raw = [expected]
    for i, level in enumerate(acceptable_raw):
        if level not in TRIAGE_LEVELS:
            report(("acceptable", i), f"{level!r} is not one of " + ", ".join(TRIAGE_LEVELS))
    if expected in TRIAGE_LEVELS and expected not in acceptable_raw:
        report(("acceptable",), f"the expected level {expected!r} should be in the acceptable list too")
    causes_raw = item.get("causes", [])
    if not isinstance(causes_raw, list):
        report(("causes",), "causes should be a list of cause ids")
        causes_raw = []
    for i, cid in enumerate(causes_raw):
        if causes is not None and cid not in causes:
            report(("causes", i), f"unknown cause {cid!r}")
    facts_raw = item.get("facts") or {}
    if not isinstance(facts_raw, dict):
        report(("facts",), "facts should map a question id to what the person answers")
        facts_raw = {}
    facts: dict[str, str] = {}
    for qid, answer in facts_raw.items():
        if questions is not None and qid not in questions:
            report(("facts", qid), f"no intent asks a question {qid!r}")
        word = loaded.boolean_words.get((*path, "facts", qid))
        facts[str(qid)] = word if word is not None else str(answer)
    if missing or (expected is not None and expected not in TRIAGE_LEVELS):
        return None
    return Vignette(
        id=vid,
        says=str(says),
        facts=facts,
        expected=cast(TriageLevel, expected),
        acceptable=tuple(cast(TriageLevel, lv) for lv in acceptable_raw if lv in TRIAGE_LEVELS),
        causes=tuple(str(c) for c in causes_raw),
        note=str(item.get("note", "")),
        location=str(loaded.at(path)),
    )


# -- playing ----------------------------------------------------------------------------------
def play(vignette: Vignette, knowledge: Knowledge, settings: Settings) -> Outcome:
    """Play one vignette as a simulated patient through the real dialog."""
    dialog = Dialog(knowledge, settings)
    transcript: list[str] = []
    result: Result | None = None
    questions = 0
    confirmed = False

    not_understood = False

    def take(events: list[Event]) -> Ask | None:
        nonlocal result, not_understood
        pending: Ask | None = None
        for event in events:
            if isinstance(event, Result):
                result = event
            if isinstance(event, Ask):
                pending = event
            if isinstance(event, Say) and event.role == "not_understood":
                not_understood = True
            text = getattr(event, "text", None)
            if text:
                transcript.append(f"assistant: {text}")
        return pending

    ask = take(dialog.start())
    for _ in range(MAX_TURNS):
        if dialog.finished or ask is None:
            break
        if ask.question == "complaint":
            if transcript.count(f"patient: {vignette.says}"):
                return _failed(vignette, questions, transcript, "the opening complaint was not understood")
            reply = vignette.says
        elif ask.question == "confirm_intent":
            if confirmed:
                return _failed(vignette, questions, transcript, "the intent was not confirmed")
            confirmed, reply = True, "yes"
        elif ask.question == "save_summary":
            reply = "no"
        else:
            questions += 1
            reply = vignette.facts.get(ask.question, UNKNOWN_ANSWER)
        transcript.append(f"patient: {reply}")
        not_understood = False
        ask = take(dialog.handle(reply))
        if not_understood and ask is not None and ask.question not in NOT_CLINICAL:
            # A real person would rephrase; a vignette cannot, so report the answer.
            return _failed(
                vignette, questions, transcript, f"answer to {ask.question!r} not understood: {reply!r}"
            )
    else:
        return _failed(vignette, questions, transcript, f"no result after {MAX_TURNS} turns")
    if result is None:
        return _failed(vignette, questions, transcript, "the conversation ended without a result")
    return Outcome(
        id=vignette.id,
        expected=vignette.expected,
        acceptable=vignette.acceptable,
        triage=result.triage,
        causes=tuple(c.id for c in result.causes),
        expected_causes=vignette.causes,
        questions=questions,
        transcript=tuple(transcript),
    )


def _failed(vignette: Vignette, questions: int, transcript: list[str], error: str) -> Outcome:
    return Outcome(
        vignette.id, vignette.expected, vignette.acceptable, None, (), vignette.causes, questions,
        tuple(transcript), error,
    )  # fmt: skip


def evaluate(vignettes_path: Path, knowledge: Knowledge, settings: Settings) -> Report:
    """Load the vignettes, play each one through the dialog, and return the report."""
    report = Report()
    for vignette in load_vignettes(vignettes_path, knowledge):
        outcome = play(vignette, knowledge, settings)
        log.debug("%s: %s -> %s", vignette.id, vignette.expected, outcome.triage)
        report.outcomes.append(outcome)
    return report


# -- command line -----------------------------------------------------------------------------
def evaluate_command(argv: Sequence[str], out: TextIO) -> int:
    """``assistant evaluate VIGNETTES.yaml [--json] [--intents PATH ...]``.

    Exit status: 0 when every emergency was caught, 1 when one was missed, 2 for unusable files.
    """
    parser = argparse.ArgumentParser(
        prog="assistant evaluate", description="Play clinical vignettes through the dialog and report."
    )
    parser.add_argument("vignettes", type=Path, help="the vignette file (YAML)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--intents", type=Path, action="append", default=None,
        help="an intent file or folder to load instead of the shipped ones (repeatable)",
    )  # fmt: skip
    parser.add_argument("--emergency-number", default=None, help="the number said in emergency advice")
    args = parser.parse_args(list(argv))
    try:
        knowledge = load_knowledge(args.intents if args.intents else default_intent_dirs())
        report = evaluate(args.vignettes, knowledge, Settings(emergency_number=args.emergency_number))
    except AssistantError as exc:
        print(str(exc), file=out)
        return exc.exit_code
    if args.json:
        print(json.dumps(report.to_dict(), indent=2), file=out)
    else:
        print(report.to_text(), file=out)
    return 1 if report.missed_emergencies else 0
