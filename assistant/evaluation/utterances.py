"""The labelled utterance corpus (evaluation/utterances/*.yaml): reading it and understanding it.

Each utterance is understood by the same :func:`~assistant.understanding.understand.Understander.understand`
the dialog uses, in the context it is said in, and compared with its label. The format is described
in evaluation/utterances/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.base.errors import IntentError
from assistant.base.intents import Question
from assistant.base.problems import Location, Problem
from assistant.content.field_reader import Reader
from assistant.content.knowledge import Knowledge
from assistant.content.located_yaml import load_yaml
from assistant.understanding.understand import OPENING, Expecting, Understanding

STYLES = ("plain", "elderly", "anxious", "terse", "non-native", "asr", "rambling")
FIXED_CONTEXTS = ("opening", "yes_no", "red_flag", "any")
FIXED_LABELS = ("emergency", "possible_emergency", "out_of_scope", "not_understood")
COMMAND_NAMES = ("repeat", "help", "go_back", "explain", "stop", "goodbye", "greeting")
_LABEL = re.compile(r"^(intent|command|answer|choice):[a-z0-9_]+$")


@dataclass(frozen=True)
class Utterance:
    text: str
    context: str
    expect: str
    style: str
    where: str


@dataclass(frozen=True)
class Verdict:
    utterance: Utterance
    got: str
    #: The intent was reached only after a "Did you mean ...?" confirmation.
    confirmed: bool = False

    @property
    def correct(self) -> bool:
        return self.got == self.utterance.expect


def load_corpus(paths: Sequence[Path]) -> list[Utterance]:
    """Every utterance of the files; IntentError (path:line:col for each mistake) if any is wrong."""
    out: list[Utterance] = []
    problems: list[Problem] = []
    for path in paths:
        loaded = load_yaml(path)
        problems.extend(loaded.problems)
        if loaded.problems:
            continue
        r = Reader(loaded)
        top = r.mapping(
            (), loaded.data, what="the corpus file", allowed=("utterances",), required=("utterances",)
        )
        if top is None:
            problems.extend(r.problems)
            continue
        for item_path, m in r.records(
            ("utterances",),
            top.get("utterances"),
            what="utterances",
            each="an utterance",
            allowed=("text", "context", "expect", "style"),
            required=("text", "context", "expect"),
        ):
            text = r.text((*item_path, "text"), m.get("text"), what="text")
            context = r.text((*item_path, "context"), m.get("context"), what="context")
            expect = r.text((*item_path, "expect"), m.get("expect"), what="expect")
            style = r.text((*item_path, "style"), m.get("style", "plain"), what="style") or "plain"
            if context and context not in FIXED_CONTEXTS and not context.startswith("choice:"):
                r.report(
                    (*item_path, "context"), "context is opening, yes_no, red_flag, any or choice:QUESTION_ID"
                )
            if expect and expect not in FIXED_LABELS and not _LABEL.match(expect):
                r.report(
                    (*item_path, "expect"),
                    "expect is emergency, possible_emergency, out_of_scope, not_understood, or "
                    "intent:ID, command:NAME, answer:yes|no|unsure, choice:CHOICE_ID",
                )
            if style not in STYLES:
                r.report((*item_path, "style"), f"style is one of {', '.join(STYLES)}", severity="warning")
            if text and context and expect:
                out.append(Utterance(text, context, expect, style, str(loaded.at(item_path))))
        problems.extend(r.problems)
    if any(p.severity == "error" for p in problems):
        raise IntentError(problems)
    return out


class Judge:
    """Understands each utterance in its context and names what it was taken as."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.understander = knowledge.understander
        questions = [q for i in knowledge.intents for q in i.questions]
        self.questions = {q.id: q for q in questions}
        self.red_flag: Question | None = next(
            (q for q in questions if q.red_flag and q.kind == "yes_no"), None
        )

    def expecting(self, utterance: Utterance) -> Expecting:
        context = utterance.context
        if context == "opening":
            return OPENING
        if context == "red_flag":
            return Expecting("yes_no", self.red_flag)
        if context.startswith("choice:"):
            question = self.questions.get(context.partition(":")[2])
            if question is None or question.kind != "choice":
                missing = context.partition(":")[2]
                raise IntentError(
                    [Problem(Location(utterance.where), f"no choice question {missing!r} in the intents")]
                )
            return Expecting("choice", question)
        return Expecting("yes_no")

    def judge(self, utterance: Utterance) -> Verdict:
        expecting = self.expecting(utterance)
        u = self.understander.understand(utterance.text, expecting)
        got, confirmed = self.label(u, expecting)
        return Verdict(utterance, got, confirmed)

    def label(self, u: Understanding, expecting: Expecting) -> tuple[str, bool]:
        meaning = u.meaning
        if meaning in ("emergency", "possible_emergency"):
            return meaning, False
        if meaning == "command":
            return f"command:{u.command}", False
        if meaning == "intent" and u.top is not None:
            system = self.knowledge.system
            if u.top.score >= system.accept_score:
                return f"intent:{u.top.intent.id}", False
            if u.top.score >= system.confirm_score:
                return f"intent:{u.top.intent.id}", True
            return "out_of_scope", False
        if meaning == "answer":
            kind = "choice" if expecting.kind == "choice" else "answer"
            return f"{kind}:{u.answer}", False
        return ("out_of_scope" if expecting.kind == "open" else "not_understood"), False
