"""What was said, normalised once: the words, and the clauses a denial cannot reach across."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.base.language import WordLists
from assistant.understanding.normalize import Normalizer, clean

#: Sentence ends: a denial in one sentence does not reach into the next.
_SENTENCE_END = re.compile(r"[.!?;]+")


@dataclass(frozen=True)
class Heard:
    """One utterance after normalisation."""

    text: str
    words: tuple[str, ...]
    #: The words split into clauses at sentence ends and clause words ("but", "although").
    clauses: tuple[tuple[str, ...], ...]

    @property
    def joined(self) -> str:
        return " ".join(self.words)


class Hearing:
    """Turns raw text into :class:`Heard`: spoken forms first, then the shared normaliser."""

    def __init__(self, normalizer: Normalizer, lists: WordLists) -> None:
        self.normalizer = normalizer
        self.breaks = frozenset(w for b in lists.clause_breaks for w in normalizer.tokens(b))
        forms = sorted(lists.spoken_forms.items(), key=lambda kv: -len(kv[0]))
        self.forms = dict(forms)
        self._forms = (
            re.compile(r"\b(" + "|".join(re.escape(k) for k, _ in forms) + r")\b") if forms else None
        )

    def spoken(self, text: str) -> str:
        """``text`` lowercased with its spoken forms replaced ("uh-huh" -> "yes")."""
        text = clean(text).lower()
        if self._forms is None:
            return text
        text = re.sub(r"(?<=\w)-(?=\w)", " ", text)
        return self._forms.sub(lambda m: self.forms[m.group(1)], text)

    def words(self, text: str) -> list[str]:
        return self.normalizer.tokens(self.spoken(text))

    def hear(self, text: str) -> Heard:
        words: list[str] = []
        clauses: list[tuple[str, ...]] = []
        for sentence in _SENTENCE_END.split(self.spoken(text)):
            tokens = self.normalizer.tokens(sentence)
            words.extend(tokens)
            current: list[str] = []
            for token in tokens:
                if token in self.breaks:
                    if current:
                        clauses.append(tuple(current))
                    current = []
                else:
                    current.append(token)
            if current:
                clauses.append(tuple(current))
        return Heard(text, tuple(words), tuple(clauses))
