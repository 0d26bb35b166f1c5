"""Fuzzy matching of what was said to an intent or a command, with rapidfuzz.

Intent matching scales to thousands of intents with an inverted index: the words of the utterance
(and words within a small edit distance, for recognition slips such as "cath" for "calf") pick a
short list of candidate phrases by summed word rarity, and only those are scored with rapidfuzz.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from assistant.model import Intent, SystemPack
from assistant.normalize import Normalizer

#: How many candidate phrases are scored exactly after the index pass.
CANDIDATES = 48
#: Minimum similarity for a word to stand in for a known word (recognition slips).
WORD_SIMILARITY = 75
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


class IntentMatcher:
    """Finds the intent an utterance is about."""

    def __init__(self, intents: Sequence[Intent], normalizer: Normalizer, entries: list[_Entry]) -> None:
        self.intents = tuple(intents)
        self.normalizer = normalizer
        self.entries = entries
        self.postings: dict[str, list[int]] = defaultdict(list)
        for idx, entry in enumerate(entries):
            for word in set(entry.text.split()):
                self.postings[word].append(idx)
        n = max(len(entries), 1)
        self.idf = {w: math.log(1 + n / len(ids)) for w, ids in self.postings.items()}
        self.vocabulary = list(self.postings)
        self.keywords: dict[str, set[int]] = defaultdict(set)
        for i, intent in enumerate(self.intents):
            for kw in intent.keywords:
                self.keywords[normalizer(kw)].add(i)

    @classmethod
    def build(cls, intents: Sequence[Intent], normalizer: Normalizer) -> IntentMatcher:
        entries: list[_Entry] = []
        for i, intent in enumerate(intents):
            seen: set[str] = set()
            for phrase in intent.phrases:
                text = normalizer(phrase)
                if text and text not in seen:
                    seen.add(text)
                    entries.append(_Entry(text, i))
        return cls(intents, normalizer, entries)

    def _candidates(self, words: list[str]) -> list[int]:
        weights: dict[int, float] = defaultdict(float)
        for word in set(words):
            found = [(word, 1.0)] if word in self.postings else []
            if not found and len(word) >= 3:
                close = process.extract(
                    word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY, limit=3
                )
                found = [(w, s / 100) for w, s, _ in close]
            for known, similarity in found:
                weight = self.idf[known] * similarity
                for idx in self.postings[known]:
                    weights[idx] += weight
        if not weights:
            return []
        return sorted(weights, key=weights.__getitem__, reverse=True)[:CANDIDATES]

    def match(self, utterance: str) -> list[IntentMatch]:
        """Best match per intent, best first (at most three)."""
        text = self.normalizer(utterance)
        if not text:
            return []
        words = text.split()
        best: dict[int, tuple[float, str]] = {}
        for idx in self._candidates(words):
            entry = self.entries[idx]
            score = max(fuzz.WRatio(text, entry.text), fuzz.token_set_ratio(text, entry.text) * 0.96)
            if score > best.get(entry.intent, (-1.0, ""))[0]:
                best[entry.intent] = (score, entry.text)
        for word in words:
            for i in self.keywords.get(word, ()):
                score, phrase = best.get(i, (0.0, ""))
                best[i] = (max(score + 5, KEYWORD_FLOOR), phrase or word)
        ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)[:3]
        return [IntentMatch(self.intents[i], min(100, round(s)), p) for i, (s, p) in ranked]


class CommandMatcher:
    """Recognises the global commands (stop, repeat, help...) and the emergency phrases."""

    def __init__(self, system: SystemPack, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.phrases: dict[str, list[str]] = {
            name: [t for t in (normalizer(p) for p in phrases) if t] for name, phrases in system.commands.items()
        }
        self.negations = frozenset(normalizer.tokens(" ".join(system.answers.get("no", ()))))
        self.negations |= {"not", "no", "never", "without", "nor"}

    def emergency(self, utterance: str) -> str | None:
        """The emergency phrase said (not negated), if any."""
        text = self.normalizer(utterance)
        if not text:
            return None
        words = text.split()
        for phrase in self.phrases.get("emergency", ()):
            if len(phrase) > len(text) + 3:
                continue
            found = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=90)
            if found is None:
                continue
            before = text[: found.dest_start].split()[-4:]
            if self.negations.intersection(before):
                continue
            if len(phrase.split()) == 1 and phrase not in words:
                continue  # a single word must be said as a word, not inside another
            return phrase
        return None

    def command(self, utterance: str) -> str | None:
        """The command the whole utterance means, if it is one."""
        text = self.normalizer(utterance)
        if not text:
            return None
        best: tuple[float, str] | None = None
        for name, phrases in self.phrases.items():
            if name == "emergency":
                continue
            hit = process.extractOne(text, phrases, scorer=fuzz.ratio, score_cutoff=88)
            if hit and (best is None or hit[1] > best[0]):
                best = (hit[1], name)
        return best[1] if best else None
