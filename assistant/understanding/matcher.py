"""Fuzzy matching of what was said to an intent.

Intent matching scales to thousands of intents, written as templates or not, with an inverted
index (:mod:`phrase_index`): the words of the utterance (and words within a small edit distance,
for recognition slips such as "cath" for "calf") pick a short list of intents, then of their
phrases, by summed word rarity, and only those phrases are scored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.base.intents import Intent
from assistant.understanding.normalize import Normalizer
from assistant.understanding.phrase_index import STOPWORD_WEIGHT, PhraseIndex, Said
from assistant.understanding.slips import WordSlips

#: Weight of a word no phrase contains.
UNKNOWN_WEIGHT = 1.5
#: A keyword of an intent in the utterance lifts its score to at least this (the confirm band).
KEYWORD_FLOOR = 68


@dataclass(frozen=True)
class IntentMatch:
    intent: Intent
    score: int
    phrase: str


class IntentMatcher:
    """Finds the intent an utterance is about."""

    def __init__(
        self,
        intents: Sequence[Intent],
        normalizer: Normalizer,
        texts: Sequence[tuple[str, int]],
        known_elsewhere: frozenset[str] = frozenset(),
    ) -> None:
        self.intents = tuple(intents)
        #: Words the assistant knows to mean something else (a part of the body, an emergency
        #: word): never taken as a slip for an intent's word ("heart" is not "heat").
        self.known_elsewhere = known_elsewhere
        self.normalizer = normalizer
        self.stopwords = normalizer.stopwords
        self.index = PhraseIndex(texts, len(self.intents), self.stopwords)
        #: Every phrase indexed, normalised (one per set of content words of each intent).
        self.entries = self.index.texts
        self.postings = self.index.postings
        self.idf = self.index.idf
        self.vocabulary = list(self.postings)
        self.slips = WordSlips(self.vocabulary, self.stopwords, known_elsewhere)
        self.keywords: dict[str, set[int]] = defaultdict(set)
        for i, intent in enumerate(self.intents):
            for kw in intent.keywords:
                self.keywords[normalizer(kw)].add(i)

    @classmethod
    def build(
        cls, intents: Sequence[Intent], normalizer: Normalizer, known_elsewhere: frozenset[str] = frozenset()
    ) -> IntentMatcher:
        texts: list[tuple[str, int]] = []
        for i, intent in enumerate(intents):
            # Templates say the same words in many orders and with many fillers. Scoring weighs the
            # words said, not their order, and function words barely count: one entry (the
            # shortest) per set of content words is enough.
            shortest: dict[frozenset[str], str] = {}
            for phrase in intent.sentences():
                text = normalizer.phrase(phrase)
                words = text.split()
                key = frozenset(w for w in words if w not in normalizer.stopwords) or frozenset(words)
                if text and (key not in shortest or len(text) < len(shortest[key])):
                    shortest[key] = text
            texts.extend((text, i) for text in shortest.values())
        return cls(intents, normalizer, texts, known_elsewhere)

    def _similar(self, words: list[str]) -> dict[str, dict[str, float]]:
        """For each word said, the known words it may stand for, with a similarity from 0 to 1."""
        return {word: self.slips.similar(word) for word in set(words)}

    def match(self, utterance: str) -> list[IntentMatch]:
        """Best match per intent, best first (at most three)."""
        words = self.normalizer.tokens(utterance)
        if not words:
            return []
        similar = self._similar(words)
        said = [Said(self._weight(word) * n, similar[word]) for word, n in Counter(words).items()]
        found = self.index.best(said, function_words_only=all(w in self.stopwords for w in words))
        best = {b.intent: (b.score, b.text) for b in found}
        for word in words:
            for i in self.keywords.get(word, ()):
                score, phrase = best.get(i, (0.0, ""))
                best[i] = (max(score + 5, KEYWORD_FLOOR), phrase or word)
        ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)[:3]
        return [IntentMatch(self.intents[i], min(100, round(s)), p) for i, (s, p) in ranked]

    def _weight(self, word: str) -> float:
        """How much a word said counts: as in the phrases, or as a rare word when no phrase has it."""
        return self.idf.get(word, STOPWORD_WEIGHT if word in self.stopwords else UNKNOWN_WEIGHT)
