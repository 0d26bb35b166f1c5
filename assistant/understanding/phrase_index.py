"""The index behind intent matching, and how well an utterance covers each indexed phrase.

Templates make thousands of phrases per intent, so a pass over every phrase holding a word said
would cost time in proportion to all the phrases there are. The search takes two steps instead:
first the intents (one list of intents per word, a few thousand at most), then, among the few
intents sharing the most weight of words with the utterance, all their phrases at once. An
intent's phrases are stored one after the other, so the phrases of one intent holding a word are
a slice of that word's list, found by bisection, and every phrase of the shortlist is scored in a
few array operations.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: How many intents go on to the second step, where all their phrases are scored.
SHORTLIST = 16
#: Weight of a function word ("my", "is").
STOPWORD_WEIGHT = 0.15
#: How much more recall counts than precision (the beta of an F-measure).
RECALL_WEIGHT = 2.0
#: A phrase of two or more content words said whole scores at least this, however much else was said.
COVERED_FLOOR = 82
WHOLE = 0.999


@dataclass(frozen=True)
class Said:
    """One word said (as often as it was said) and the known words it may stand for (0-1)."""

    weight: float
    known: dict[str, float]


@dataclass(frozen=True)
class Best:
    """An intent's best phrase for an utterance, and its score (0-100)."""

    intent: int
    score: float
    text: str


class PhraseIndex:
    """Phrases by the words they hold; ``texts`` come grouped by intent, in intent order."""

    def __init__(self, texts: Sequence[tuple[str, int]], intents: int, stopwords: frozenset[str]) -> None:
        self.stopwords = stopwords
        self.texts = [text for text, _ in texts]
        lists: dict[str, list[int]] = defaultdict(list)
        owners: dict[str, list[int]] = defaultdict(list)
        counts = np.zeros(intents + 1, dtype=np.int64)
        split = [dict.fromkeys(text.split()) for text in self.texts]
        last = -1
        for idx, ((_, intent), words) in enumerate(zip(texts, split, strict=True)):
            if intent < last:
                raise ValueError("phrases must come grouped by intent, in intent order")
            last = intent
            counts[intent + 1] += 1
            for word in words:
                lists[word].append(idx)
                found = owners[word]
                if not found or found[-1] != intent:
                    found.append(intent)
        #: Where each intent's phrases start (and, one further, where the last one's end).
        self.starts = np.cumsum(counts)
        #: word -> the phrases that hold it, and the intents that have it in some phrase.
        self.postings = {w: np.asarray(ids, dtype=np.int64) for w, ids in lists.items()}
        self.intent_postings = {w: np.asarray(ids, dtype=np.int64) for w, ids in owners.items()}
        n = max(len(texts), 1)
        # How much a word counts: little for function words ("my", "is"), at least 1 for content
        # words, more for rare ones.
        self.idf = {
            w: STOPWORD_WEIGHT if w in stopwords else max(1.0, math.log(1 + n / len(ids)))
            for w, ids in self.postings.items()
        }
        self.totals = np.array([sum(self.idf[w] for w in words) for words in split], dtype=np.float64)
        self.content = np.array([sum(w not in stopwords for w in words) for words in split], dtype=np.int32)
        self._intents = intents

    def best(self, said: Sequence[Said], function_words_only: bool = False) -> list[Best]:
        """The best phrase of each intent on the shortlist, scored against the words said.

        The shortlist goes by the words that carry meaning; when only function words were said
        ("is it"), those are all there is to go on.
        """
        said = [Said(w.weight, {k: s for k, s in w.known.items() if k in self.idf}) for w in said]
        got: dict[str, float] = {}
        for word in said:
            for known, sim in word.known.items():
                got[known] = max(got.get(known, 0.0), sim)
        content = {w: s for w, s in got.items() if w not in self.stopwords}
        chosen = self._shortlist(got if function_words_only else content)
        if not len(chosen):
            return []
        lo, hi = self.starts[chosen], self.starts[chosen + 1]
        base = np.r_[0, np.cumsum(hi - lo)]
        size = int(base[-1])
        where = {w: self._local(w, lo, hi, base) for w in got}
        recalled = np.zeros(size)
        whole = np.zeros(size, dtype=np.int32)
        for w, sim in got.items():
            recalled[where[w]] += self.idf[w] * sim
            if sim >= WHOLE and w not in self.stopwords:
                whole[where[w]] += 1
        explained = np.zeros(size)
        for word in said:
            if len(word.known) == 1:
                ((w, sim),) = word.known.items()
                explained[where[w]] += word.weight * sim
            elif word.known:
                best = np.zeros(size)
                for w, sim in word.known.items():
                    best[where[w]] = np.maximum(best[where[w]], sim)
                explained += word.weight * best
        total_said = sum(word.weight for word in said)
        rows = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])
        totals = self.totals[rows]
        recall = recalled / totals
        precision = explained / total_said if total_said else np.zeros(size)
        beta2 = RECALL_WEIGHT**2
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.nan_to_num(100 * (1 + beta2) * precision * recall / (beta2 * precision + recall))
        # Every word of a phrase naming two things ("calf" and "hot") was said: the rest is the
        # person's story around it ("after walking", "since the weekend").
        counts = self.content[rows]
        covered = (counts >= 2) & (whole == counts)
        score = np.where(covered, np.maximum(score, COVERED_FLOOR + (100 - COVERED_FLOOR) * precision), score)
        out = []
        for k, intent in enumerate(chosen):
            seg = score[base[k] : base[k + 1]]
            top = float(seg.max())
            # Among equally good phrases, the one with the fewest other words.
            ties = np.flatnonzero(seg == top)
            pick = int(ties[np.argmin(totals[base[k] + ties])])
            out.append(Best(int(intent), top, self.texts[int(rows[base[k] + pick])]))
        return out

    def _local(self, word: str, lo: np.ndarray, hi: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Where the shortlisted phrases holding ``word`` are, in the shortlist's own numbering."""
        post = self.postings.get(word)
        if post is None:
            return np.zeros(0, dtype=np.int64)
        a, b = np.searchsorted(post, lo), np.searchsorted(post, hi)
        counts = b - a
        total = int(counts.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        # The positions a[k] .. b[k] of the list for each shortlisted intent k, then each phrase id
        # moved from the intent's start (lo) to its place in the shortlist (base).
        first = np.r_[0, np.cumsum(counts)[:-1]]
        positions = np.arange(total) + np.repeat(a - first, counts)
        local: np.ndarray = post[positions] + np.repeat(base[:-1] - lo, counts)
        return local

    def _shortlist(self, gains: dict[str, float]) -> np.ndarray:
        """The intents with the most weight of the words said, at most ``SHORTLIST``, in order;
        among equal ones, those written first."""
        words = [w for w in gains if w in self.intent_postings]
        if not words:
            return np.zeros(0, dtype=np.int64)
        lists = [self.intent_postings[w] for w in words]
        weights = np.repeat([self.idf[w] * gains[w] for w in words], [len(p) for p in lists])
        summed = np.bincount(np.concatenate(lists), weights=weights, minlength=self._intents)
        touched = np.flatnonzero(summed)
        if len(touched) <= SHORTLIST:
            return touched
        values = summed[touched]
        cut = np.partition(values, len(values) - SHORTLIST)[len(values) - SHORTLIST]
        above, tied = touched[values > cut], touched[values == cut]
        return np.sort(np.r_[above, tied[: SHORTLIST - len(above)]])
