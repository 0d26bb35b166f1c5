"""A summary a person can hand to a clinician, in neutral clinical third person. Pure: the caller
writes it.

It holds the presenting complaint in the person's own words with the side and part named, the red
flags asked and their answers, the other answers under plain labels (never internal ids), the
triage level and the rule that led to it, the causes considered, the sources, the date and time,
and the version of the content.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from assistant.base.conditions import AnswerValue
from assistant.base.events import Result
from assistant.base.intents import Intent, Question, SystemPack
from assistant.conversation.triage import assess, fill

SIDES = ("left", "right", "both")
_IDENT = re.compile(r"\b[a-z][a-z0-9_]*\b")


@dataclass(frozen=True)
class Line:
    label: str
    said: str
    value: str
    #: Said in passing, before the question was reached.
    in_passing: bool = False


def _label(question: Question, number: str) -> str:
    return question.label or fill(question.ask, emergency_number=number)


def _value(question: Question, value: AnswerValue) -> str:
    """An answer in words: yes / no / not sure, a choice by its first spoken words, a number."""
    if question.kind == "choice":
        choice = next((c for c in question.choices if c.id == value), None)
        if choice is not None:
            return "none of the options" if choice.id == "none" else (choice.words[0] if choice.words else "")
    return {"yes": "yes", "no": "no", "unsure": "not sure"}.get(str(value), str(value))


def site(complaint: str, system: SystemPack) -> str:
    """The side and part of the body named in the complaint ("left calf"), or "not stated"."""
    words = re.findall(r"[a-z']+", complaint.lower())
    parts = {w for ws in system.words.body_regions.values() for w in ws}
    side = next((w for w in words if w in SIDES), "")
    named = [w for w in dict.fromkeys(words) if w in parts]
    if not named:
        return f"{side} side, part not stated" if side else "not stated"
    return " ".join(filter(None, [side, " and ".join(named)]))


def why(intent: Intent, when_text: str) -> str:
    """A triage rule's condition with question and score ids replaced by their labels."""
    labels = {q.id: q.label or q.id.replace("_", " ") for q in intent.questions}
    labels |= {s.id: s.description for s in intent.scores}
    choices = {c.id: (c.words[0] if c.words else c.id) for q in intent.questions for c in q.choices}

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        return labels.get(token) or choices.get(token) or token

    return _IDENT.sub(word, " ".join(when_text.split()))


def summarize(
    intent: Intent,
    complaint: str,
    answered: list[tuple[str, str, AnswerValue]],
    result: Result,
    when: datetime,
    number: str,
    system: SystemPack,
    in_passing: Collection[str] = (),
) -> str:
    """The summary of one conversation; ``answered`` is (question id, heard, value) in order;
    ``in_passing``: the question ids answered by something said before they were reached."""
    flags: list[Line] = []
    others: list[Line] = []
    values: dict[str, AnswerValue] = {}
    for qid, heard, value in answered:
        question = intent.question(qid)
        if question is None:
            continue
        values[qid] = value
        line = Line(_label(question, number), heard, _value(question, value), qid in in_passing)
        (flags if question.red_flag else others).append(line)
    assessment = assess(intent, values, emergency=result.triage == "emergency")
    level = system.words.level_names.get(result.triage, result.triage.replace("_", " "))
    if assessment.rule is not None and assessment.rule.when_text.strip() != "always":
        reason = f"the rule that applied: {why(intent, assessment.rule.when_text)}"
    elif result.triage == "emergency":
        reason = "a red flag was reported (or was unsure twice and counted as present)"
    else:
        reason = "no more specific rule applied (the default for this presentation)"
    sources = [src for src in intent.sources.values() if src.cite() in result.sources]

    out = [
        "# Symptom assistant summary for a clinician",
        "",
        f"Date and time: {when.strftime('%Y-%m-%d %H:%M')}",
        f"Content: {intent.description or intent.title}"
        + (f" (version {intent.version})" if intent.version else ""),
        "Made by an offline symptom assistant from the person's own answers. Not a diagnosis.",
        "",
        "## Presenting complaint",
        "",
        f'In the person\'s words: "{complaint}"',
        f"Site: {site(complaint, system)}",
        "",
        "## Red flags asked",
        "",
        *(_render(line) for line in flags),
        *([] if flags else ["- none asked (the conversation ended before them)"]),
        "",
        "## Other answers",
        "",
        *(_render(line) for line in others),
        *([] if others else ["- none"]),
        "",
        "## Triage",
        "",
        f"Level: {level}",
        f"Why: {reason}",
        f"Advice given: {result.guidance}",
        "",
        "## Causes considered, most likely first",
        "",
        *(f"{i}. {c.name}" for i, c in enumerate(result.causes, 1)),
        *([] if result.causes else ["(none named)"]),
        "",
        "## Sources",
        "",
        *(f"- {src.cite()}" for src in sources),
        *([] if sources else ["- (none)"]),
    ]
    return "\n".join(out) + "\n"


def _render(line: Line) -> str:
    if line.in_passing:
        return f'- {line.label}: {line.value} (mentioned in passing: "{line.said}")'
    said = f' (said: "{line.said}")' if line.said and line.said.lower() != line.value else ""
    return f"- {line.label}: {line.value}{said}"
