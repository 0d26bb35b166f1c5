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

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from assistant.base.intents import Intent
from assistant.understanding.normalize import Normalizer
from assistant.understanding.phrase_index import STOPWORD_WEIGHT, PhraseIndex, Said

#: Minimum similarity for a word to stand in for a known word (recognition slips).
WORD_SIMILARITY = 75
#: A short word (3-4 letters) one edit from a known word stands for it with this similarity, shared
#: out among the known words it could be ("lag" is only "leg"; "bat" could be "bad" or "back").
SHORT_SLIP = 0.5
SHORT_SLIP_LENGTHS = range(3, 5)
#: Beyond this many look-alikes a short word is too ambiguous to be a slip of any of them.
SHORT_SLIP_MAX_CHOICES = 2
#: The one letter a short slip may differ by: a vowel for a vowel ("lag" for "leg"), or a vowel or
#: silent letter more or less ("nee" for "knee"). A consonant changed makes another word ("got" is
#: not "hot"), so it is not a slip.
VOWELS = frozenset("aeiouy")
SILENT = VOWELS | frozenset("hkw")
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
        #: Content words short enough for a one-letter slip of a short word to be checked against.
        self._short_vocabulary = [
            w for w in self.vocabulary if w not in self.stopwords and len(w) <= SHORT_SLIP_LENGTHS[-1] + 1
        ]
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
        similar: dict[str, dict[str, float]] = {}
        for word in set(words):
            if word in self.postings:
                similar[word] = {word: 1.0}
            elif len(word) >= 3 and word not in self.known_elsewhere:
                close = process.extract(
                    word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY, limit=3
                )
                similar[word] = {w: s / 100 for w, s, _ in close} or self._short_slip(word)
            else:
                similar[word] = {}
        return similar

    def _short_slip(self, word: str) -> dict[str, float]:
        """The known words a short word may be a one-letter slip of ("lag" for "leg"), each with a
        similarity that shrinks with how many there are; none when the word is too ambiguous.

        Edit-distance similarity under-rates short words (one letter of three is 67%), so they
        get this second, stricter look instead of a lower floor for every word.
        """
        if len(word) not in SHORT_SLIP_LENGTHS:
            return {}
        near = process.extract(
            word,
            self._short_vocabulary,
            scorer=Levenshtein.distance,
            score_cutoff=1,
            limit=SHORT_SLIP_MAX_CHOICES + 1,
        )
        near = [(w, d, i) for w, d, i in near if _sounds_alike(word, w)]
        if not near or len(near) > SHORT_SLIP_MAX_CHOICES:
            return {}
        return {w: SHORT_SLIP / len(near) for w, _, _ in near}

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


def _sounds_alike(said: str, known: str) -> bool:
    """Whether two words one edit apart differ only by a vowel or a silent letter."""
    ops = Levenshtein.editops(said, known).as_list()
    if len(ops) != 1:
        return False
    tag, src, dest = str(ops[0][0]), int(ops[0][1]), int(ops[0][2])
    if tag == "replace":
        return said[src] in VOWELS and known[dest] in VOWELS
    if tag == "insert":
        return known[dest] in SILENT
    return said[src] in SILENT
