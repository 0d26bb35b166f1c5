"""What the dialog emits: frozen dataclasses, one per event type, each owning its JSON form
(``to_dict``), its terminal line (``display``) and the words it puts in the assistant's mouth
(``spoken``).

The JSON-lines protocol (``assistant --json``) is a public interface: every field here is
documented in the README. Adapters (terminal, speech, JSON) only ever see these events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

TriageLevel = Literal["emergency", "urgent", "soon", "self_care"]
QuestionKind = Literal["open", "yes_no", "choice", "number"]
EndReason = Literal["completed", "stopped", "end_of_input", "no_response", "out_of_scope"]

#: Most urgent first. The index is the urgency rank (0 = most urgent).
TRIAGE_LEVELS: tuple[TriageLevel, ...] = ("emergency", "urgent", "soon", "self_care")


@dataclass(frozen=True)
class Say:
    """Something the assistant says that is not a question."""

    text: str
    #: ``info``, ``disclaimer``, ``emergency``, ``help``, ``explain``, ``not_understood``...
    role: str = "info"
    type: Literal["say"] = field(default="say", init=False)

    @property
    def spoken(self) -> str | None:
        return self.text

    def display(self) -> str | None:
        return self.text

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "text": self.text, "role": self.role}


@dataclass(frozen=True)
class Ask:
    """The assistant asks something and waits for an answer."""

    text: str
    question: str
    kind: QuestionKind
    choices: tuple[str, ...] = ()
    type: Literal["ask"] = field(default="ask", init=False)

    @property
    def spoken(self) -> str | None:
        return self.text

    def display(self) -> str | None:
        return self.text

    def to_dict(self) -> dict[str, object]:
        return {
            "type": self.type,
            "text": self.text,
            "question": self.question,
            "kind": self.kind,
            "choices": list(self.choices),
        }


@dataclass(frozen=True)
class IntentMatched:
    """An utterance was matched to an intent."""

    intent: str
    score: int
    heard: str
    type: Literal["intent"] = field(default="intent", init=False)

    spoken = None

    def display(self) -> str | None:
        return None

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "intent": self.intent, "score": self.score, "heard": self.heard}


@dataclass(frozen=True)
class Answer:
    """How an answer was understood."""

    question: str
    value: str | int
    heard: str
    #: True when the value was assumed rather than said (an unsure red flag counted as yes).
    assumed: bool = False
    #: "said" in answer to the question, or "mentioned" in passing before it was asked.
    source: Literal["said", "mentioned"] = "said"
    type: Literal["answer"] = field(default="answer", init=False)

    spoken = None

    def display(self) -> str | None:
        return None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "type": self.type,
            "question": self.question,
            "value": self.value,
            "heard": self.heard,
        }
        if self.assumed:
            out["assumed"] = True
        if self.source != "said":
            out["from"] = self.source
        return out


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

    @property
    def spoken(self) -> str | None:
        return self.text

    def display(self) -> str | None:
        # An emergency stands out on a terminal.
        return f"*** {self.text} ***" if self.triage == "emergency" else self.text

    def to_dict(self) -> dict[str, object]:
        return {
            "type": self.type,
            "intent": self.intent,
            "triage": self.triage,
            "causes": [{"id": c.id, "name": c.name} for c in self.causes],
            "text": self.text,
            "guidance": self.guidance,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Summary:
    """A summary the person asked to keep. The adapter writes it; the dialog never touches disk."""

    text: str
    path: str | None = None
    type: Literal["summary"] = field(default="summary", init=False)

    spoken = None

    def display(self) -> str | None:
        return None

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "text": self.text, "path": self.path}


@dataclass(frozen=True)
class Error:
    """Something the person or the integration should know went wrong; the conversation goes on."""

    message: str
    type: Literal["error"] = field(default="error", init=False)

    spoken = None

    def display(self) -> str | None:
        return f"(error: {self.message})"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "message": self.message}


@dataclass(frozen=True)
class End:
    reason: EndReason
    type: Literal["end"] = field(default="end", init=False)

    spoken = None

    def display(self) -> str | None:
        return None

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "reason": self.reason}


@dataclass(frozen=True)
class Waiting:
    """Always-on mode waits for the wake phrase (or a button press) to start a conversation."""

    text: str
    #: Said aloud only when the assistant starts; after a conversation it is only shown.
    first: bool = False
    type: Literal["waiting"] = field(default="waiting", init=False)

    @property
    def spoken(self) -> str | None:
        return self.text if self.first else None

    def display(self) -> str | None:
        return self.text

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "text": self.text}


WakeCause = Literal["phrase", "button"]


@dataclass(frozen=True)
class Wake:
    """Always-on mode woke up: a conversation starts (a short chime says it is listening)."""

    by: WakeCause
    #: What was heard, for a wake phrase ('' for a button).
    heard: str = ""
    type: Literal["wake"] = field(default="wake", init=False)

    spoken = None

    def display(self) -> str | None:
        return None

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "by": self.by, "heard": self.heard}


Event = Say | Ask | IntentMatched | Answer | Result | Summary | Error | End | Waiting | Wake


def event_to_dict(event: Event) -> dict[str, object]:
    """The JSON-lines form of an event, ``type`` first."""
    return event.to_dict()


def event_to_json(event: Event) -> str:
    return json.dumps(event.to_dict(), ensure_ascii=False)


def spoken_text(event: Event) -> str | None:
    """The words an event puts in the assistant's mouth, if any."""
    return event.spoken
