"""Which phrases another intent could take, found without matching every phrase against every other.

``assistant check my-intents`` asks, for each phrase, whether another intent scores at least the
accept score (or at least the phrase's own intent). Matching all of them is quadratic: each match
weighs every intent sharing a common word ("hurts", "leg") with the phrase. But the matcher's score is an
F-measure that weighs recall (how much of a known phrase was said) four times as much as precision,
so a score of ``t`` needs a recall of at least ``4t / (5 - t)``: the words a phrase shares with
another intent's phrase must carry most of that phrase's weight, rare words weighing most.

Put every known phrase's words in one order, rarest first. A phrase's *prefix* is its first words
in that order, just enough that the words after them weigh less than that minimum recall. Two
phrases that share no word of the second one's prefix cannot reach the score; a phrase naming all
of another's content words (the matcher's "said whole" floor) shares its rarest word, which is always
in its prefix. So only the known phrases with a prefix word of the phrase can take it, and rare words
have short lists: finding them is linear. When one of those shares enough of its weight with the
phrase, the phrase goes through the real matcher, as before: it alone decides what is reported.
So does any phrase with a word no known phrase has (the matcher would look up its close
spellings), with another intent's keyword, or whose words so many intents have that its own
might not be among the few the matcher scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from assistant.understanding.matcher import IntentMatcher
from assistant.understanding.phrase_index import COVERED_FLOOR, RECALL_WEIGHT, SHORTLIST

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
    """The known phrases (the matcher's) indexed by the words of their prefixes.

    A phrase is a problem when another intent scores it at the accept score, or at least as well as
    its own intent does. A phrase of two or more content words scores at least the matcher's
    "said whole" floor with its own intent (one of its phrases has just those content words), so
    a score of the lower of the two is what another intent must be able to reach."""

    def __init__(self, matcher: IntentMatcher, accept_score: float) -> None:
        self.matcher = matcher
        self.need = min_recall(min(accept_score, COVERED_FLOOR))
        idf = matcher.idf
        starts = matcher.index.starts
        #: The intent (the matcher's number for it) of each known phrase.
        self.owner = np.repeat(np.arange(len(starts) - 1), np.diff(starts)).tolist()
        self.index: dict[str, list[int]] = defaultdict(list)
        for e, text in enumerate(matcher.entries):
            words = sorted(dict.fromkeys(text.split()), key=lambda w: (-idf[w], w))
            total = sum(idf[w] for w in words)
            rest = total
            for word in words:
                self.index[word].append(e)
                rest -= idf[word]
                if rest < self.need * total - EPSILON:
                    break
        #: Intents (by the matcher's number) with each one-word keyword.
        self.keywords = {word: set(owners) for word, owners in matcher.keywords.items()}

    def to_match(self, phrases: Sequence[str], own: int) -> list[int]:
        """Which of the phrases of intent ``own`` may be taken (see :meth:`may_be_taken`)."""
        return [j for j, phrase in enumerate(phrases) if self.may_be_taken(phrase, own)]

    def may_be_taken(self, phrase: str, own: int) -> bool:
        """Whether ``phrase`` of intent ``own`` (the matcher's number for it) could be scored at the
        threshold by another intent, or miss its own: False only when neither can happen."""
        matcher = self.matcher
        words = set(matcher.normalizer.tokens(phrase))
        content = words - matcher.stopwords
        if len(content) < 2:
            return True  # how well its own intent scores it is not known without matching
        if not words <= matcher.postings.keys():
            return True  # a word no phrase has: the matcher would look up its close spellings
        if any(self.keywords[w] - {own} for w in words & self.keywords.keys()):
            return True
        if self._crowded(content):
            return True
        seen: set[int] = set()
        for word in words:
            for e in self.index.get(word, ()):
                if self.owner[e] == own or e in seen:
                    continue
                seen.add(e)
                if self._reaches(words, matcher.entries[e].split()):
                    return True
        return False

    def _crowded(self, content: set[str]) -> bool:
        """Whether so many intents have every content word of the phrase (in some phrase of
        theirs) that its own intent might not be among those the matcher scores."""
        lists = sorted((self.matcher.index.intent_postings[w] for w in content), key=len)
        if not lists or len(lists[0]) <= SHORTLIST:
            return False
        common = lists[0]
        for other in lists[1:]:
            common = np.intersect1d(common, other, assume_unique=True)
            if len(common) <= SHORTLIST:
                return False
        return True

    def _reaches(self, said: set[str], known: list[str]) -> bool:
        """Whether saying the words ``said`` covers enough of the known phrase's words to score."""
        idf, stop = self.matcher.idf, self.matcher.stopwords
        distinct = set(known)
        total = sum(idf[w] for w in distinct)
        shared = sum(idf[w] for w in distinct & said)
        content = distinct - stop
        return shared >= self.need * total - EPSILON or (len(content) >= 2 and content <= said)
