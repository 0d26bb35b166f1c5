"""Understanding answers the way people give them: yes/no/unsure, a choice, or a number.

Every word list used here comes from the system file (``answers:`` and ``language:``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from assistant.base.intents import Question, SystemPack
from assistant.understanding.hearing import Hearing
from assistant.understanding.normalize import Normalizer

YesNo = str  # "yes" | "no" | "unsure"
#: A choice answer that names more than one option, or none in particular ("both", "yes").
SEVERAL = "several"


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    value: YesNo


@dataclass(frozen=True)
class _Found:
    value: YesNo
    #: A one-word answer ("yes", "nope"), not a statement ("it is") or a denial inside a sentence.
    strong: bool
    start: int
    end: int


class YesNoParser:
    """Longest-match over yes/no/unsure phrases, then a decision as English speakers mean it."""

    def __init__(self, system: SystemPack, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.hearing = Hearing(normalizer, system.words)
        lists = system.words
        self.negations = frozenset(w for n in lists.negations for w in normalizer.tokens(n))
        self.corrections = [tuple(normalizer.tokens(c)) for c in lists.corrections]
        self.base = self._compile(system.all_answers)
        self._tables: dict[tuple[tuple[str, tuple[str, ...]], ...], dict[str, list[_Phrase]]] = {}

    def _compile(self, table: Mapping[str, tuple[str, ...]]) -> list[_Phrase]:
        # Insertion order kept (dict, not set) and a stable sort: the same words always win.
        phrases = {
            _Phrase(tuple(words), value): None
            for value, texts in table.items()
            for p in texts
            if (words := self.normalizer.tokens(p))
        }
        return sorted(phrases, key=lambda p: -len(p.words))

    def _table(self, extra: Mapping[str, tuple[str, ...]] | None) -> dict[str, list[_Phrase]]:
        """The phrases by their first word, longest first (built once per set of extra words)."""
        key = tuple(sorted(extra.items())) if extra else ()
        table = self._tables.get(key)
        if table is None:
            table = {}
            for p in (self._compile(extra) + self.base) if extra else self.base:
                table.setdefault(p.words[0], []).append(p)
            self._tables[key] = table
        return table

    def parse(self, text: str, extra: Mapping[str, tuple[str, ...]] | None = None) -> YesNo | None:
        return self.parse_words(self.hearing.words(text), extra)

    def parse_words(
        self, words: Sequence[str], extra: Mapping[str, tuple[str, ...]] | None = None
    ) -> YesNo | None:
        if not words:
            return None
        table = self._table(extra)
        found = self._scan(words, table)
        # "I'm not really sure" is unsure wherever the unsure words fall, unless they are part of a
        # longer answer ("probably not").
        for i, word in enumerate(words):
            for p in table.get(word, ()):
                n = len(p.words)
                if p.value == "unsure" and tuple(words[i : i + n]) == p.words and not _inside(i, n, found):
                    return "unsure"
        if not found:
            return None
        return self._decide(words, found)

    def _scan(self, words: Sequence[str], table: dict[str, list[_Phrase]]) -> list[_Found]:
        found: list[_Found] = []
        i = 0
        while i < len(words):
            for p in table.get(words[i], ()):
                n = len(p.words)
                if tuple(words[i : i + n]) == p.words:
                    value = p.value
                    # A yes followed straight by a denial is a no: "certainly not", "I have never".
                    if value == "yes" and i + n < len(words) and words[i + n] in self.negations:
                        value, n = "no", n + 1
                    # Strong: a one-word answer, or one that ends in a denial ("definitely not").
                    strong = len(p.words) == 1 or (value == "no" and words[i + n - 1] in self.negations)
                    found.append(_Found(value, strong, i, i + n))
                    i += n
                    break
            else:
                if words[i] in self.negations:
                    found.append(_Found("no", False, i, i + 1))
                i += 1
        return found

    def _decide(self, words: Sequence[str], found: list[_Found]) -> YesNo | None:
        # What follows a correction counts ("yes, I mean no", "no wait, yes").
        for correction in self.corrections:
            for start in positions(words, correction):
                after = [f for f in found if f.start >= start + len(correction)]
                if after:
                    return after[-1].value
        values = {f.value for f in found}
        if len(values) == 1:
            return found[0].value
        # A run of answer words at the start is decided by its last one: "yeah no" is no,
        # "no yeah, it is" is yes, unless a plain answer of the other kind follows.
        run = [found[0]] if found[0].start == 0 and found[0].strong else []
        for f in found[1:]:
            if run and f.strong and f.start == run[-1].end:
                run.append(f)
            else:
                break
        if run:
            # Then the last plain answer counts ("yeah, definitely not" is no), but a single word
            # inside a sentence is a word, not an answer ("no, I sit right by the heater").
            later = [
                f for f in found[len(run) :] if f.strong and (f.end == len(words) or f.end - f.start > 1)
            ]
            return (later or run)[-1].value
        return None


def _inside(start: int, n: int, found: list[_Found]) -> bool:
    """Whether words[start:start+n] lie inside a longer answer found."""
    return any(f.start <= start and start + n <= f.end and f.end - f.start > n for f in found)


def _at(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    return bool(positions(words, phrase))


def positions(words: Sequence[str], phrase: tuple[str, ...]) -> list[int]:
    """Where the phrase starts in the words, each place it does."""
    n = len(phrase)
    return [i for i in range(len(words) - n + 1) if n and tuple(words[i : i + n]) == phrase]


class ChoiceParser:
    """Which option of a choice question was meant: by its words, its position, or close wording."""

    def __init__(self, system: SystemPack, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.hearing = Hearing(normalizer, system.words)
        lists = system.words
        self.ordinals: dict[str, int] = {}
        for word, position in lists.ordinals.items():
            for token in normalizer.tokens(word):
                self.ordinals.setdefault(token, position)
        self.several = [tuple(normalizer.tokens(s)) for s in lists.several]

    def parse(self, text: str, question: Question) -> str | None:
        return self.parse_words(self.hearing.words(text), question)

    def parse_words(self, words: Sequence[str], question: Question) -> str | None:
        """The choice id meant; :data:`SEVERAL` for "both"; None when no choice (or two) fits."""
        if not words:
            return None
        spans: list[tuple[int, int, str]] = []
        for choice in question.choices:
            for phrase in (choice.id.replace("_", " "), *choice.words):
                target = tuple(self.normalizer.tokens(phrase))
                spans += [(i, i + len(target), choice.id) for i in positions(words, target)]
        # A match inside a longer match does not count ("last night" is not "night").
        outer = {
            c
            for s, e, c in spans
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)
        }
        if len(outer) == 1:
            return outer.pop()
        if len(outer) > 1:
            return SEVERAL  # "red skin and the vein": ask one by one rather than pick one
        if any(_at(words, s) for s in self.several if s):
            return SEVERAL
        if len(words) <= 4:
            for word in words:
                if word in self.ordinals:
                    position = self.ordinals[word]
                    idx = position - 1 if position > 0 else position
                    if -len(question.choices) <= idx < len(question.choices):
                        return question.choices[idx].id
        joined = " ".join(words)
        scored: list[tuple[float, str]] = []
        for choice in question.choices:
            best = max(
                fuzz.WRatio(joined, self.normalizer(w)) for w in (*choice.words, choice.id.replace("_", " "))
            )
            scored.append((best, choice.id))
        scored.sort(reverse=True)
        if scored[0][0] >= 86 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 6):
            return scored[0][1]
        return None


def parse_choice(text: str, question: Question, parser: ChoiceParser) -> str | None:
    """The choice id meant, or None when no single choice fits (see :class:`ChoiceParser`)."""
    found = parser.parse(text, question)
    return None if found == SEVERAL else found


def parse_number(text: str, normalizer: Normalizer) -> int | None:
    """The first whole number said ("about sixty two" -> 62); None if there is none."""
    return number_in(normalizer.tokens(text))


def number_in(words: Sequence[str]) -> int | None:
    for word in words:
        if word.isdigit():
            return int(word)
    return None


def choice_words(question: Question) -> Sequence[str]:
    return [w for c in question.choices for w in c.words]
