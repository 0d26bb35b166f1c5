"""What the conversation waits for next, as a small value adapters can read without reaching inside.

A recognizer prepares to hear :attr:`Expectation.phrases` (or anything, when the expectation is
open); text mode and the Wyoming server need no more than this either.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.base.events import QuestionKind


@dataclass(frozen=True)
class Expectation:
    #: ``open`` for a free description (the opening complaint), else the kind of answer asked for.
    kind: QuestionKind
    #: The question id waiting for an answer ("" when nothing is waited for).
    question: str = ""
    #: Everything that would be understood as an answer or a command now (empty when open).
    phrases: tuple[str, ...] = ()
    #: False once the conversation has ended: nothing more will be understood.
    waiting: bool = True

    @property
    def open(self) -> bool:
        """Any utterance is welcome (a recognizer should use its free-form model)."""
        return self.kind == "open" or not self.waiting


#: The expectation of a conversation that has ended.
NOTHING = Expectation(kind="open", waiting=False)
