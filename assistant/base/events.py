"""What the dialog emits: frozen dataclasses, one per event type, and their JSON form.

The JSON-lines protocol (``assistant --json``) is a public interface: every field here is
documented in the README. Adapters (terminal, speech, JSON) only ever see these events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

TriageLevel = Literal["emergency", "urgent", "soon", "self_care"]
QuestionKind = Literal["open", "yes_no", "choice", "number"]
EndReason = Literal["completed", "stopped", "end_of_input", "no_response"]

#: Most urgent first. The index is the urgency rank (0 = most urgent).
TRIAGE_LEVELS: tuple[TriageLevel, ...] = ("emergency", "urgent", "soon", "self_care")


@dataclass(frozen=True)
class Say:
    """Something the assistant says that is not a question."""

    text: str
    #: ``info``, ``disclaimer``, ``emergency``, ``help``, ``explain``, ``not_understood``...
    role: str = "info"
    type: Literal["say"] = field(default="say", init=False)


@dataclass(frozen=True)
class Ask:
    """The assistant asks something and waits for an answer."""

    text: str
    question: str
    kind: QuestionKind
    choices: tuple[str, ...] = ()
    type: Literal["ask"] = field(default="ask", init=False)


@dataclass(frozen=True)
class IntentMatched:
    """An utterance was matched to an intent."""

    intent: str
    score: int
    heard: str
    type: Literal["intent"] = field(default="intent", init=False)


@dataclass(frozen=True)
class Answer:
    """How an answer was understood."""

    question: str
    value: str | int
    heard: str
    #: True when the value was assumed rather than said (an unsure red flag counted as yes).
    assumed: bool = False
    type: Literal["answer"] = field(default="answer", init=False)


@dataclass(frozen=True)
class CauseRef:
    id: str
    name: str


@dataclass(frozen=True)
class Result:
    """The outcome: triage level, guidance and possible causes, most likely first."""

    intent: str
    triage: TriageLevel
    causes: tuple[CauseRef, ...]
    text: str
    #: The guidance alone (the first part of ``text``): what to do and when.
    guidance: str = ""
    sources: tuple[str, ...] = ()
    type: Literal["result"] = field(default="result", init=False)


@dataclass(frozen=True)
class Summary:
    """A summary the person asked to keep. The adapter writes it; the dialog never touches disk."""

    text: str
    path: str | None = None
    type: Literal["summary"] = field(default="summary", init=False)


@dataclass(frozen=True)
class Error:
    """Something the person or the integration should know went wrong; the conversation goes on."""

    message: str
    type: Literal["error"] = field(default="error", init=False)


@dataclass(frozen=True)
class End:
    reason: EndReason
    type: Literal["end"] = field(default="end", init=False)


Event = Say | Ask | IntentMatched | Answer | Result | Summary | Error | End


def event_to_dict(event: Event) -> dict[str, object]:
    """The JSON-lines form of an event, ``type`` first."""
    if isinstance(event, Say):
        return {"type": "say", "text": event.text, "role": event.role}
    if isinstance(event, Ask):
        return {
            "type": "ask",
            "text": event.text,
            "question": event.question,
            "kind": event.kind,
            "choices": list(event.choices),
        }
    if isinstance(event, IntentMatched):
        return {"type": "intent", "intent": event.intent, "score": event.score, "heard": event.heard}
    if isinstance(event, Answer):
        out: dict[str, object] = {
            "type": "answer",
            "question": event.question,
            "value": event.value,
            "heard": event.heard,
        }
        if event.assumed:
            out["assumed"] = True
        return out
    if isinstance(event, Result):
        return {
            "type": "result",
            "intent": event.intent,
            "triage": event.triage,
            "causes": [{"id": c.id, "name": c.name} for c in event.causes],
            "text": event.text,
            "guidance": event.guidance,
            "sources": list(event.sources),
        }
    if isinstance(event, Summary):
        return {"type": "summary", "text": event.text, "path": event.path}
    if isinstance(event, Error):
        return {"type": "error", "message": event.message}
    return {"type": "end", "reason": event.reason}


def event_to_json(event: Event) -> str:
    return json.dumps(event_to_dict(event), ensure_ascii=False)


def spoken_text(event: Event) -> str | None:
    """The words an event puts in the assistant's mouth, if any."""
    if isinstance(event, Say | Ask | Result):
        return event.text
    return None
