"""Facts said in passing: "I had my hip done six weeks ago" answers the question about surgery.

A question can list ``mentions:``, phrases that answer it wherever they are said (the opening, or
an answer to another question), each under the answer it gives: "yes" and "no" for a yes/no
question, a choice id for a choice question. A "yes" phrase denied in the same clause, shortly
before it ("I haven't got a temperature", "no fever"), means no. A mention said after a hedge
("maybe", "I think") is uncertain: the dialog confirms it in one short question. A red flag is
never answered no by a mention (it is always asked), and a choice question mentioned with two
different answers is asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.base.intents import Question
from assistant.understanding.answers import positions
from assistant.understanding.hearing import Heard
from assistant.understanding.normalize import Normalizer

#: How many words before a mention a negation still denies it ("not had any surgery").
DENIAL_REACH = 4
#: How many words before a mention a hedge still makes it uncertain ("maybe it was the sun").
HEDGE_REACH = 7

Phrases = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Mention:
    question: str
    value: str
    #: The clause it was said in.
    heard: str
    #: The words of the mention itself ("had my hip done").
    said: str = ""
    #: False when said after a hedge ("maybe", "I think"): confirmed before it counts.
    certain: bool = True


@dataclass
class MentionFinder:
    normalizer: Normalizer
    negations: frozenset[str]
    #: Hedges as word tuples ("i think").
    hedges: tuple[tuple[str, ...], ...] = ()
    #: Words joining two statements ("and"): a hedge before one does not reach the next.
    joiners: frozenset[str] = frozenset()
    #: A question's mentions (as written) -> (value, words) pairs, longest first.
    _phrases: dict[tuple[tuple[str, tuple[str, ...]], ...], Phrases] = field(default_factory=dict, repr=False)
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def _tokens(self, question: Question) -> Phrases:
        key = tuple(question.mentions.items())
        found = self._phrases.get(key)
        if found is None:
            pairs = [(value, self._words(p)) for value, phrases in key for p in phrases]
            # Longest first: "both legs" is found before "legs" could be.
            found = tuple(sorted(((v, t) for v, t in pairs if t), key=lambda vt: -len(vt[1])))
            self._phrases[key] = found
        return found

    def part_named(self, parts: Mapping[str, Sequence[str]], words: Sequence[str]) -> str:
        """The part (a key of ``parts``: name -> its words) named first in ``words``, the longest
        words winning at one place; the first part when none is named."""
        found: list[tuple[int, int, str]] = []
        for name, names in parts.items():
            for phrase in names:
                tokens = self._words(phrase)
                found += [(at, -len(tokens), name) for at in positions(words, tokens)]
        return min(found)[2] if found else next(iter(parts), "")

    def _words(self, phrase: str) -> tuple[str, ...]:
        tokens = self._cache.get(phrase)
        if tokens is None:
            tokens = self._cache[phrase] = tuple(self.normalizer.tokens(phrase))
        return tokens

    def find(self, heard: Heard, questions: Iterable[Question]) -> list[Mention]:
        """The questions the utterance answers in passing, with their values."""
        out: list[Mention] = []
        for question in questions:
            if not question.mentions or question.kind not in ("yes_no", "choice"):
                continue
            mention = self._mention(question, heard.clauses)
            if mention is not None:
                out.append(mention)
        return out

    def _mention(self, question: Question, clauses: Sequence[Sequence[str]]) -> Mention | None:
        found: list[Mention] = []
        taken: set[tuple[int, int]] = set()
        for number, clause in enumerate(clauses):
            for value, phrase in self._tokens(question):
                for at in positions(clause, phrase):
                    span = {(number, i) for i in range(at, at + len(phrase))}
                    if span & taken:
                        continue  # inside a longer phrase already found ("both legs")
                    taken |= span
                    said = " ".join(phrase)
                    before = _since(clause[max(0, at - HEDGE_REACH) : at], self.joiners)
                    hedged = any(positions(before, h) for h in self.hedges)
                    denied = not hedged and any(
                        w in self.negations for w in clause[max(0, at - DENIAL_REACH) : at]
                    )
                    answer = value
                    if denied:
                        if value != "yes" or question.kind != "yes_no" or question.red_flag:
                            continue  # a denied choice or "no" phrase says nothing certain
                        answer = "no"
                    if answer == "no" and question.red_flag:
                        continue
                    found.append(Mention(question.id, answer, " ".join(clause), said, not hedged))
        values = {m.value for m in found}
        if len(values) != 1:
            return None  # nothing, or two different answers: the question is asked
        certain = [m for m in found if m.certain]
        return certain[0] if certain else found[0]


def _since(words: Sequence[str], joiners: frozenset[str]) -> Sequence[str]:
    """The words after the last joining word ("maybe I got sunburnt and my left ..." -> "my")."""
    for i in range(len(words) - 1, -1, -1):
        if words[i] in joiners:
            return words[i + 1 :]
    return words
