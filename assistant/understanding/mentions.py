"""Facts said in passing: "I had my hip done six weeks ago" answers the question about surgery.

A yes/no question can list ``mentions:``, phrases that answer it wherever they are said (the
opening, or an answer to another question). Said plainly, a mention means yes; denied in the same
clause, shortly before it ("I haven't got a temperature", "no fever"), it means no. A denial never
answers a red flag: those are always asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.base.intents import Question
from assistant.understanding.answers import positions
from assistant.understanding.hearing import Heard
from assistant.understanding.normalize import Normalizer

#: How many words before a mention a negation still denies it ("not had any surgery").
DENIAL_REACH = 4


@dataclass(frozen=True)
class Mention:
    question: str
    value: str
    #: The clause it was said in.
    heard: str


@dataclass
class MentionFinder:
    normalizer: Normalizer
    negations: frozenset[str]
    _phrases: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(default_factory=dict, repr=False)

    def _tokens(self, question: Question) -> tuple[tuple[str, ...], ...]:
        found = self._phrases.get(question.mentions)
        if found is None:
            found = tuple(t for t in (tuple(self.normalizer.tokens(p)) for p in question.mentions) if t)
            self._phrases[question.mentions] = found
        return found

    def find(self, heard: Heard, questions: Iterable[Question]) -> list[Mention]:
        """The questions the utterance answers in passing, with their values."""
        out: list[Mention] = []
        for question in questions:
            if not question.mentions or question.kind != "yes_no":
                continue
            value = self._value(heard.clauses, self._tokens(question), red_flag=question.red_flag)
            if value is not None:
                out.append(Mention(question.id, value[0], value[1]))
        return out

    def _value(
        self, clauses: Sequence[Sequence[str]], phrases: Sequence[tuple[str, ...]], *, red_flag: bool
    ) -> tuple[str, str] | None:
        for clause in clauses:
            for phrase in phrases:
                found = positions(clause, phrase)
                if not found:
                    continue
                at = found[0]
                denied = any(w in self.negations for w in clause[max(0, at - DENIAL_REACH) : at])
                if denied and red_flag:
                    continue
                return ("no" if denied else "yes"), " ".join(clause)
        return None
