"""Read and check a vignette file: every problem is reported at once, as path:line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from assistant.base.errors import AssistantError
from assistant.base.events import TRIAGE_LEVELS, TriageLevel
from assistant.base.problems import Location, Problem
from assistant.content.knowledge import Knowledge
from assistant.content.located_yaml import LoadedYaml, YamlPath, load_yaml

VIGNETTE_KEYS = {"id", "says", "facts", "expected", "acceptable", "causes", "note"}


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
