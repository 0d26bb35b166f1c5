"""A short plain-text summary a person can show a clinician. Pure: the caller writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.model import Source


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


LEVEL_NAMES = {
    "emergency": "Emergency: call emergency services now",
    "urgent": "Urgent: be seen today",
    "soon": "Soon: see a doctor in the next few days",
    "self_care": "Self care, with a time limit to see a doctor",
}


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
        f"Triage level: {LEVEL_NAMES.get(s.triage, s.triage)}",
        "",
        s.guidance,
        "",
    ]
    lines += ["## Possible causes, most likely first", ""]
    lines += [f"{i}. {name}" for i, name in enumerate(s.causes, 1)] or ["(none stood out)"]
    lines += ["", "## Sources", ""]
    lines += [f"- {src.cite()}" for src in s.sources] or ["- (none)"]
    return "\n".join(lines) + "\n"
