"""A short plain-text summary a person can show a clinician. Pure: the caller writes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from assistant.base.conditions import AnswerValue
from assistant.base.events import Result
from assistant.base.intents import Intent, Source
from assistant.conversation.triage import fill


@dataclass(frozen=True)
class QA:
    question: str
    heard: str
    understood: str


@dataclass(frozen=True)
class SummaryInput:
    when: datetime
    complaint: str
    intent_title: str
    answers: tuple[QA, ...]
    triage: str
    guidance: str
    causes: tuple[str, ...]
    sources: tuple[Source, ...]
    #: The triage level in words ("Urgent: be seen today"); empty shows the level id.
    level_name: str = ""


def render_summary(s: SummaryInput) -> str:
    lines = [
        "# Symptom summary",
        "",
        f"Date and time: {s.when.strftime('%Y-%m-%d %H:%M')}",
        "Made by an offline symptom assistant. It is not a diagnosis; please check it with a clinician.",
        "",
        f'What the person said: "{s.complaint}"',
        f"Understood as: {s.intent_title}",
        "",
        "## Questions and answers",
        "",
    ]
    if s.answers:
        for qa in s.answers:
            lines.append(f"- {qa.question}")
            lines.append(f'  Answer: "{qa.heard}" (understood as: {qa.understood})')
    else:
        lines.append("- (none asked)")
    lines += [
        "",
        "## Outcome",
        "",
        f"Triage level: {s.level_name or s.triage}",
        "",
        s.guidance,
        "",
    ]
    lines += ["## Possible causes, most likely first", ""]
    lines += [f"{i}. {name}" for i, name in enumerate(s.causes, 1)] or ["(none stood out)"]
    lines += ["", "## Sources", ""]
    lines += [f"- {src.cite()}" for src in s.sources] or ["- (none)"]
    return "\n".join(lines) + "\n"


def summarize(
    intent: Intent,
    complaint: str,
    answered: list[tuple[str, str, AnswerValue]],
    result: Result,
    when: datetime,
    number: str,
    level_names: Mapping[str, str],
) -> str:
    """The summary of one conversation; ``answered`` is (question id, heard, value) in order.

    ``level_names`` names each triage level (the system file's ``language: level_names``)."""
    qas = []
    for qid, heard, value in answered:
        question = intent.question(qid)
        if question is not None:
            qas.append(QA(fill(question.ask, emergency_number=number), heard, str(value)))
    return render_summary(
        SummaryInput(
            when=when,
            complaint=complaint,
            intent_title=intent.title,
            answers=tuple(qas),
            triage=result.triage,
            level_name=level_names.get(result.triage, ""),
            guidance=result.guidance,
            causes=tuple(c.name for c in result.causes),
            sources=tuple(src for src in intent.sources.values() if src.cite() in result.sources),
        )
    )
