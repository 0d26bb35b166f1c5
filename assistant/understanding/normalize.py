"""Text normalisation shared by matching and answer parsing.

Lowercase, no punctuation, contractions expanded, number words turned into digits, filler words
dropped, and words that speech recognition often gets wrong mapped to what the intent files use.
The word lists come from the system pack and the intents, so a translation needs no code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.base.intents import Intent, SystemPack

#: Longest utterance considered, in characters; the rest is ignored (nobody says more in one turn).
MAX_CHARS = 2000

#: How many normalised texts are remembered before the memory is emptied, and the longest one
#: remembered: phrases, not everything anyone says (memory stays small in long runs).
CACHE_SIZE = 30_000
CACHE_TEXT = 120

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_NOT_WORD = re.compile(r"[^\w' ]+|_")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Normalizer:
    contractions: dict[str, str] = field(default_factory=dict)
    fillers: frozenset[str] = frozenset()
    numbers: dict[str, int] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    #: Function words that count little when matching ("my", "is", "the").
    stopwords: frozenset[str] = frozenset()
    #: Texts already normalised (intent phrases are normalised by several checks); bounded.
    _seen: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    #: Single words of the content already normalised, joined; None for a number word.
    _words: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_system(cls, system: SystemPack, intents: Iterable[Intent] = ()) -> Normalizer:
        synonyms: dict[str, str] = {}
        for intent in intents:
            synonyms.update(intent.synonyms)
        expand = cls(dict(system.contractions))
        return cls(
            contractions=dict(system.contractions),
            fillers=frozenset(w.lower() for w in system.fillers),
            numbers=dict(system.number_words),
            synonyms=synonyms,
            stopwords=frozenset(w for s in system.stopwords for w in expand.tokens(s)),
        )

    def tokens(self, text: str) -> list[str]:
        found = self._seen.get(text)
        if found is not None:
            return list(found)
        words = self._tokens(text)
        if len(text) <= CACHE_TEXT:
            if len(self._seen) >= CACHE_SIZE:
                self._seen.clear()
            self._seen[text] = tuple(words)
        return words

    def _tokens(self, text: str) -> list[str]:
        text = clean(text).translate(_APOSTROPHES).lower()
        text = _NOT_WORD.sub(" ", text.replace("-", " "))
        words: list[str] = []
        for raw in text.split():
            expanded = self.contractions.get(raw)
            if expanded is None and "'" in raw:
                stripped = raw.strip("'")
                expanded = self.contractions.get(stripped, stripped.replace("'", ""))
            for word in (expanded or raw).split():
                if word and word not in self.fillers:
                    words.append(self.synonyms.get(word, word))
        return self._numbers(words)

    def phrase(self, text: str) -> str:
        """:meth:`__call__` for the many sentences of the content, word by word from a cache.

        Every step is per word except joining number words ("twenty one"), so a sentence with a
        number word takes the whole path.
        """
        parts = []
        known = self._words
        for word in text.split():
            if word in known:
                part = known[word]
            else:
                if len(known) >= CACHE_SIZE:
                    known.clear()
                part = None if word.lower() in self.numbers else " ".join(self.tokens(word))
                known[word] = part
            if part is None:
                return self(text)
            if part:
                parts.append(part)
        return " ".join(parts)

    def __call__(self, text: str) -> str:
        return " ".join(self.tokens(text))

    def _numbers(self, words: list[str]) -> list[str]:
        if not self.numbers:
            return words
        words = self._digit_runs(words)
        out: list[str] = []
        total: int | None = None
        current = 0
        for i, word in enumerate(words):
            value = self.numbers.get(word)
            if word == "and" and total is not None and i + 1 < len(words) and words[i + 1] in self.numbers:
                continue
            if value is None:
                if total is not None:
                    out.append(str(total + current))
                    total, current = None, 0
                out.append(word)
                continue
            if total is None:
                total = 0
            if value in (100, 1000):
                current = max(current, 1) * value
                if value == 1000:
                    total, current = total + current, 0
            elif value < 100 and current % 100 and value >= 10:
                # "twenty thirty" are two numbers, not one
                out.append(str(total + current))
                total, current = 0, value
            else:
                current += value
        if total is not None:
            out.append(str(total + current))
        return out

    def _digit_runs(self, words: list[str]) -> list[str]:
        """Two or more digit words in a row are one code, read digit by digit: "nine one one" is
        911 and "zero zero zero" is 000, not their sum ("twenty one" is still 21)."""
        out: list[str] = []
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and 0 <= self.numbers.get(words[j], -1) <= 9:
                j += 1
            if j - i >= 2:
                out.append("".join(str(self.numbers[w]) for w in words[i:j]))
                i = j
            else:
                out.append(words[i])
                i += 1
        return out


def clean(text: str) -> str:
    """Make any input safe to handle: valid text, no control characters, bounded length."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    if text.isprintable():
        return text  # the usual case, checked at once
    return "".join(ch if ch.isprintable() else " " for ch in text)
