"""Understanding answers the way people give them: yes/no/unsure, a choice, or a number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from assistant.base.intents import Question, SystemPack
from assistant.understanding.normalize import Normalizer

YesNo = str  # "yes" | "no" | "unsure"

#: Words that turn what follows into a "no" ("not swollen", "never had one").
NEGATIONS = frozenset({"not", "no", "never", "none", "neither", "nor", "nothing", "without"})
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "last": -1}


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    value: YesNo


class YesNoParser:
    """Longest-match over yes/no/unsure phrases, then a decision that never loses a negation."""

    def __init__(self, system: SystemPack, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.base = self._compile(system.answers)

    def _compile(self, table: Mapping[str, tuple[str, ...]]) -> list[_Phrase]:
        # Insertion order kept (dict, not set) and a stable sort: the same words always win.
        phrases = {
            _Phrase(tuple(words), value): None
            for value, texts in table.items()
            for p in texts
            if (words := self.normalizer.tokens(p))
        }
        return sorted(phrases, key=lambda p: -len(p.words))

    def parse(self, text: str, extra: Mapping[str, tuple[str, ...]] | None = None) -> YesNo | None:
        words = self.normalizer.tokens(text)
        if not words:
            return None
        phrases = self._compile(extra) + self.base if extra else self.base
        # Each find: (value, strong). Strong means a one-word answer ("yes", "nope"), not a
        # statement ("it is", "a bit") or a negation inside a sentence ("not making sense").
        found: list[tuple[YesNo, bool]] = []
        i = 0
        while i < len(words):
            for p in phrases:
                n = len(p.words)
                if tuple(words[i : i + n]) == p.words:
                    found.append((p.value, n == 1))
                    i += n
                    break
            else:
                if words[i] in NEGATIONS:
                    found.append(("no", False))
                i += 1
        if not found:
            return None
        values = [value for value, _ in found]
        if "unsure" in values:
            return "unsure"
        if len(set(values)) == 1:
            return values[0]
        # A sentence that starts with a plain yes or no is decided by it ("yes, and she is not
        # making sense"), unless a plain answer of the other kind follows ("yes... no").
        first, strong = found[0]
        starts_with_it = words[0] in {w for p in phrases if len(p.words) == 1 for w in p.words}
        if strong and starts_with_it and not any(s and v != first for v, s in found[1:]):
            return first
        # Otherwise, as in "it is... I don't", too unclear to decide for someone.
        return None


def parse_choice(text: str, question: Question, normalizer: Normalizer) -> str | None:
    """The choice id meant, or None when no choice (or more than one equally) fits."""
    words = normalizer.tokens(text)
    if not words:
        return None
    joined = " ".join(words)
    spans: list[tuple[int, int, str]] = []
    for choice in question.choices:
        for phrase in (choice.id.replace("_", " "), *choice.words):
            target = normalizer.tokens(phrase)
            n = len(target)
            spans += [
                (i, i + n, choice.id) for i in range(len(words) - n + 1) if n and words[i : i + n] == target
            ]
    # A match inside a longer match does not count ("last night" is not "night").
    outer = {
        c for s, e, c in spans if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)
    }
    if len(outer) == 1:
        return outer.pop()
    if len(outer) > 1:
        return None  # "today or this week": ask again rather than pick one
    for word in words:
        if word in ORDINALS and len(words) <= 4:
            idx = ORDINALS[word]
            if -len(question.choices) <= idx < len(question.choices):
                return question.choices[idx].id
    scored: list[tuple[float, str]] = []
    for choice in question.choices:
        best = max(fuzz.WRatio(joined, normalizer(w)) for w in (*choice.words, choice.id.replace("_", " ")))
        scored.append((best, choice.id))
    scored.sort(reverse=True)
    if scored[0][0] >= 86 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 6):
        return scored[0][1]
    return None


def parse_number(text: str, normalizer: Normalizer) -> int | None:
    """The first whole number said ("about sixty two" -> 62); None if there is none."""
    for word in normalizer.tokens(text):
        if word.isdigit():
            return int(word)
    return None


def choice_words(question: Question) -> Sequence[str]:
    return [w for c in question.choices for w in c.words]
