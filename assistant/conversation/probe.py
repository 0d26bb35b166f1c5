"""Repair that ends: a question not understood is asked in a simpler form, one yes/no at a time.

A choice question becomes one yes/no per option; a yes/no question made of several questions
(a compound red flag) becomes its parts. Pure helpers: the dialog keeps the state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.base.conditions import AnswerValue
from assistant.base.intents import Question

#: The choice id that means "none of these", by convention of the intent files.
NONE_CHOICE = "none"
_QUESTION = re.compile(r"[^?]+\?")


@dataclass(frozen=True)
class Probe:
    """A question asked one yes/no at a time."""

    question: str
    #: (what is asked, the answer it stands for when the person says yes)
    items: tuple[tuple[str, AnswerValue], ...]
    #: The answer when every item is answered no; None: ask the question itself.
    otherwise: AnswerValue | None
    index: int = 0
    #: Confirming a fact said in passing: what was said then (a yes takes it as the answer).
    confirming: str = ""

    @property
    def prompt(self) -> str:
        return self.items[self.index][0]

    @property
    def value(self) -> AnswerValue:
        return self.items[self.index][1]

    def next(self) -> Probe | None:
        return replace(self, index=self.index + 1) if self.index + 1 < len(self.items) else None


def probe_for(question: Question, msg: Callable[..., str], joiners: tuple[str, ...] = ()) -> Probe | None:
    """The simpler form of ``question``, or None when it has none (a single yes/no, a number)."""
    if question.kind == "choice":
        items = tuple(
            (msg("choice_option", option=c.words[0] if c.words else c.id.replace("_", " ")), c.id)
            for c in question.choices
            if c.id != NONE_CHOICE
        )
        has_none = any(c.id == NONE_CHOICE for c in question.choices)
        return Probe(question.id, items, NONE_CHOICE if has_none else "unsure") if items else None
    if question.kind == "yes_no":
        parts = [_tidy(p, joiners) for p in _QUESTION.findall(question.ask)]
        parts = [p for p in parts if p]
        if len(parts) >= 2:
            return Probe(question.id, tuple((p, "yes") for p in parts), "no")
    return None


def _tidy(part: str, joiners: tuple[str, ...]) -> str:
    """ "Or, after an injury, is it ...?" -> "After an injury, is it ...?" """
    text = part.strip()
    for word in joiners:
        if text.lower().startswith(word.lower() + " ") or text.lower().startswith(word.lower() + ","):
            text = text[len(word) :].lstrip(" ,")
    return text[:1].upper() + text[1:]
