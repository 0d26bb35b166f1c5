"""Fuzzy matching of what was said to an intent, with rapidfuzz.

Intent matching scales to thousands of intents with an inverted index: the words of the utterance
(and words within a small edit distance, for recognition slips such as "cath" for "calf") pick a
short list of candidate phrases by summed word rarity, and only those are scored with rapidfuzz.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from assistant.base.intents import Intent
from assistant.understanding.normalize import Normalizer

#: How many candidate phrases are scored exactly after the index pass.
CANDIDATES = 48
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
#: Weight of a function word ("my", "is") and of a word no phrase contains.
STOPWORD_WEIGHT = 0.15
UNKNOWN_WEIGHT = 1.5
#: How much more recall counts than precision (the beta of an F-measure).
RECALL_WEIGHT = 2.0
#: A phrase of two or more content words said whole scores at least this, however much else was said.
COVERED_FLOOR = 82
WHOLE = 0.999
#: A keyword of an intent in the utterance lifts its score to at least this (the confirm band).
KEYWORD_FLOOR = 68


@dataclass(frozen=True)
class IntentMatch:
    intent: Intent
    score: int
    phrase: str


@dataclass(frozen=True)
class _Entry:
    text: str
    intent: int
    #: Each distinct word of the phrase with its weight, and their sum (computed once).
    weights: tuple[tuple[str, float], ...] = ()
    total: float = 0.0


class IntentMatcher:
    """Finds the intent an utterance is about."""

    def __init__(
        self,
        intents: Sequence[Intent],
        normalizer: Normalizer,
        entries: list[_Entry],
        known_elsewhere: frozenset[str] = frozenset(),
    ) -> None:
        self.intents = tuple(intents)
        #: Words the assistant knows to mean something else (a part of the body, an emergency
        #: word): never taken as a slip for an intent's word ("heart" is not "heat").
        self.known_elsewhere = known_elsewhere
        self.normalizer = normalizer
        self.entries = entries
        lists: dict[str, list[int]] = defaultdict(list)
        for idx, entry in enumerate(entries):
            for word in set(entry.text.split()):
                lists[word].append(idx)
        #: word -> the entries that hold it, as an array the candidate pass sums over in one go.
        self.postings = {w: np.asarray(ids, dtype=np.int64) for w, ids in lists.items()}
        n = max(len(entries), 1)
        stop = normalizer.stopwords
        # How much a word counts: little for function words ("my", "is"), at least 1 for content
        # words, more for rare ones. Words never seen in any phrase count as rare content words.
        self.idf = {
            w: STOPWORD_WEIGHT if w in stop else max(1.0, math.log(1 + n / len(ids)))
            for w, ids in self.postings.items()
        }
        self.stopwords = stop
        self.unknown_weight = UNKNOWN_WEIGHT
        for i, entry in enumerate(entries):
            weights = tuple((w, self.idf[w]) for w in dict.fromkeys(entry.text.split()))
            entries[i] = _Entry(entry.text, entry.intent, weights, sum(x for _, x in weights))
        self.vocabulary = list(self.postings)
        #: Content words short enough for a one-letter slip of a short word to be checked against.
        self._short_vocabulary = [
            w for w in self.vocabulary if w not in stop and len(w) <= SHORT_SLIP_LENGTHS[-1] + 1
        ]
        self._norms = np.sqrt(np.maximum([e.total for e in entries], 1.0)) if entries else np.ones(0)
        self.keywords: dict[str, set[int]] = defaultdict(set)
        for i, intent in enumerate(self.intents):
            for kw in intent.keywords:
                self.keywords[normalizer(kw)].add(i)

    @classmethod
    def build(
        cls, intents: Sequence[Intent], normalizer: Normalizer, known_elsewhere: frozenset[str] = frozenset()
    ) -> IntentMatcher:
        entries: list[_Entry] = []
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
            entries.extend(_Entry(text, i) for text in shortest.values())
        return cls(intents, normalizer, entries, known_elsewhere)

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

    def _candidates(self, similar: dict[str, dict[str, float]]) -> list[int]:
        """The phrases sharing the most (rare) words with the utterance.

        Function words are skipped here: they are in most phrases and would make this pass scan
        the whole index. They still count (a little) in the exact score. Among phrases sharing the
        same words with the utterance, the ones with the fewest other words cover it best
        (templates make many phrases that share the words said).
        """
        pairs = [(w, s) for known in similar.values() for w, s in known.items() if w not in self.stopwords]
        if not pairs and all(word in self.stopwords for word in similar):
            # Only function words were said ("is it"): those are all there is to go on. When the
            # words said that carry meaning are all unknown ("the capital of france"), no phrase
            # can cover them: scanning the postings of "the" and "of" would cost most and find
            # nothing.
            pairs = [(w, s) for known in similar.values() for w, s in known.items()]
        lists = [self.postings[w] for w, _ in pairs]
        if not lists:
            return []
        ids = np.concatenate(lists)
        if not len(ids):
            return []
        gains = np.concatenate(
            [np.full(len(p), self.idf[w] * sim) for p, (w, sim) in zip(lists, pairs, strict=True)]
        )
        summed = np.bincount(ids, weights=gains, minlength=len(self.entries))
        touched = np.flatnonzero(summed)
        ranked = summed[touched] / self._norms[touched]
        if len(touched) > CANDIDATES:
            top = np.argpartition(-ranked, CANDIDATES)[:CANDIDATES]
            touched, ranked = touched[top], ranked[top]
        order = np.argsort(-ranked, kind="stable")
        return [int(i) for i in touched[order]]

    def _score(self, words: list[str], similar: dict[str, dict[str, float]], entry: _Entry) -> float:
        """How well the utterance and a phrase cover each other, rare words counting most (0-100).

        Recall (how much of the phrase was said) weighs more than precision (how much of what was
        said the phrase explains), so extra chatter around a known phrase costs little.
        """
        phrase_set = {w for w, _ in entry.weights}
        got: dict[str, float] = {}
        explained = total_said = 0.0
        for word in words:
            best = 0.0
            for known, sim in similar.get(word, {}).items():
                if known in phrase_set:
                    best = max(best, sim)
                    got[known] = max(got.get(known, 0.0), sim)
            weight = self.idf.get(word, STOPWORD_WEIGHT if word in self.stopwords else self.unknown_weight)
            explained += weight * best
            total_said += weight
        said = sum(weight * got[w] for w, weight in entry.weights if w in got)
        recall = said / entry.total if entry.total else 0.0
        precision = explained / total_said if total_said else 0.0
        if recall == 0 or precision == 0:
            return 0.0
        beta2 = RECALL_WEIGHT**2
        score = 100 * (1 + beta2) * precision * recall / (beta2 * precision + recall)
        content = [w for w, _ in entry.weights if w not in self.stopwords]
        if len(content) >= 2 and all(got.get(w, 0.0) >= WHOLE for w in content):
            # Every word of a phrase naming two things ("calf" and "hot") was said: the rest is
            # the person's story around it ("after walking", "since the weekend").
            score = max(score, COVERED_FLOOR + (100 - COVERED_FLOOR) * precision)
        return score

    def match(self, utterance: str) -> list[IntentMatch]:
        """Best match per intent, best first (at most three)."""
        words = self.normalizer.tokens(utterance)
        if not words:
            return []
        similar = self._similar(words)
        best: dict[int, tuple[float, str]] = {}
        for idx in self._candidates(similar):
            entry = self.entries[idx]
            score = self._score(words, similar, entry)
            if score > best.get(entry.intent, (-1.0, ""))[0]:
                best[entry.intent] = (score, entry.text)
        for word in words:
            for i in self.keywords.get(word, ()):
                score, phrase = best.get(i, (0.0, ""))
                best[i] = (max(score + 5, KEYWORD_FLOOR), phrase or word)
        ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)[:3]
        return [IntentMatch(self.intents[i], min(100, round(s)), p) for i, (s, p) in ranked]


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
