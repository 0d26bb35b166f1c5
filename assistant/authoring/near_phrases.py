"""Which phrases another intent could take, found without matching every phrase against every other.

``assistant check my-intents`` asks, for each phrase, whether another intent scores at least the
accept score (or at least the phrase's own intent). Matching all of them is quadratic: each match
weighs every phrase sharing a common word ("my", "hurts", "leg"). But the matcher's score is an
F-measure that weighs recall (how much of a known phrase was said) four times as much as precision,
so a score of ``t`` needs a recall of at least ``4t / (5 - t)``: the words a phrase shares with
another intent's phrase must carry most of that phrase's weight, rare words weighing most.

Put every known phrase's words in one order, rarest first. A phrase's *prefix* is its first words
in that order, just enough that the words after them weigh less than that minimum recall. Two
phrases that share no word of the second one's prefix cannot reach the score; a phrase naming all
of another's content words (the matcher's "said whole" floor) shares its rarest word, which is always
in its prefix. So only the known phrases with a prefix word of the phrase can take it, and rare words
have short lists: finding them is linear. When one of those shares enough of its weight with the
phrase, the phrase (like any phrase with a word no known phrase has, whose close spellings the
matcher would look up, or with another intent's keyword) goes through the real matcher, as before:
it alone decides what is reported.
"""

from __future__ import annotations

from collections import defaultdict

from assistant.understanding.matcher import COVERED_FLOOR, RECALL_WEIGHT, IntentMatcher

#: The matcher rounds its scores: anything from half a point below the threshold may reach it.
ROUNDING = 0.5
#: Sums of word weights are compared with this much room for rounding.
EPSILON = 1e-9


def min_recall(score: float) -> float:
    """The least recall a match scoring ``score`` (0-100, before rounding) can have.

    With precision at most 1, an F-measure ``(1 + b2) P R / (b2 P + R)`` is at most
    ``(1 + b2) R / (b2 + R)``; solved for ``R``."""
    t = max(0.0, min(1.0, (score - ROUNDING) / 100))
    b2 = RECALL_WEIGHT**2
    return b2 * t / (1 + b2 - t)


class NearPhrases:
    """The known phrases (the matcher's entries) indexed by the words of their prefixes."""

    def __init__(self, matcher: IntentMatcher, score: float) -> None:
        self.matcher = matcher
        self.need = min_recall(score)
        idf = matcher.idf
        self.index: dict[str, list[int]] = defaultdict(list)
        for e, entry in enumerate(matcher.entries):
            words = sorted(dict.fromkeys(entry.text.split()), key=lambda w: (-idf[w], w))
            total = sum(idf[w] for w in words)
            rest = total
            for word in words:
                self.index[word].append(e)
                rest -= idf[word]
                if rest < self.need * total - EPSILON:
                    break
        #: Intents (by the matcher's index) with each one-word keyword.
        self.keywords = {word: set(owners) for word, owners in matcher.keywords.items()}

    def may_be_taken(self, phrase: str, own: int) -> bool:
        """Whether an intent other than ``own`` (the matcher's index of the phrase's intent) could
        score ``phrase`` at the threshold: False only when it certainly cannot."""
        matcher = self.matcher
        words = set(matcher.normalizer.tokens(phrase))
        if not words or any(w not in matcher.postings for w in words):
            return True  # a word no phrase has: the matcher would look up its close spellings
        if any(self.keywords.get(w, set()) - {own} for w in words):
            return True
        seen: set[int] = set()
        for word in words:
            for e in self.index.get(word, ()):
                entry = matcher.entries[e]
                if entry.intent == own or e in seen:
                    continue
                seen.add(e)
                if self._reaches(words, entry.text.split()):
                    return True
        return False

    def _reaches(self, said: set[str], known: list[str]) -> bool:
        """Whether saying the words ``said`` covers enough of the known phrase's words to score."""
        idf, stop = self.matcher.idf, self.matcher.stopwords
        distinct = set(known)
        total = sum(idf[w] for w in distinct)
        shared = sum(idf[w] for w in distinct & said)
        content = distinct - stop
        return shared >= self.need * total - EPSILON or (len(content) >= 2 and content <= said)


def own_floor(matcher: IntentMatcher, phrase: str) -> float:
    """The least score a phrase gets from its own intent: a phrase of two or more content words is
    said whole (the matcher's floor); otherwise nothing is assumed."""
    words = matcher.normalizer.tokens(phrase)
    content = {w for w in words if w not in matcher.stopwords}
    return COVERED_FLOOR if len(content) >= 2 else 0.0
