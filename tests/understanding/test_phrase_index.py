"""The two-step phrase index scores every phrase of the intents it keeps exactly as scoring each
phrase alone would, and keeps the intents that share the most weight of words with the utterance."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.understanding.phrase_index import (
    COVERED_FLOOR,
    RECALL_WEIGHT,
    SHORTLIST,
    STOPWORD_WEIGHT,
    WHOLE,
    PhraseIndex,
    Said,
)

STOP = frozenset({"my", "is", "a", "the", "in"})
WORDS = ["calf", "shin", "hot", "warm", "red", "itchy", "toe", "knee", "sore", "left", "feels", "since"]
SOUNDS = [*WORDS, *STOP]


def one_phrase_score(index: PhraseIndex, said: list[Said], text: str) -> float:
    """The score of one phrase, written the plain way (a loop over the words said)."""
    weights = {w: index.idf[w] for w in dict.fromkeys(text.split())}
    got: dict[str, float] = {}
    explained = total = 0.0
    for word in said:
        best = max((s for k, s in word.known.items() if k in weights), default=0.0)
        for k, s in word.known.items():
            if k in weights:
                got[k] = max(got.get(k, 0.0), s)
        explained += word.weight * best
        total += word.weight
    recall = sum(x * got.get(w, 0.0) for w, x in weights.items()) / sum(weights.values())
    precision = explained / total if total else 0.0
    if not recall or not precision:
        return 0.0
    b2 = RECALL_WEIGHT**2
    score = 100 * (1 + b2) * precision * recall / (b2 * precision + recall)
    content = [w for w in weights if w not in STOP]
    if len(content) >= 2 and all(got.get(w, 0.0) >= WHOLE for w in content):
        score = max(score, COVERED_FLOOR + (100 - COVERED_FLOOR) * precision)
    return score


def make_index(rng: random.Random, intents: int) -> PhraseIndex:
    texts = []
    for i in range(intents):
        for _ in range(rng.randint(1, 6)):
            texts.append((" ".join(rng.sample(SOUNDS, rng.randint(1, 5))), i))
    return PhraseIndex(texts, intents, STOP)


def make_said(rng: random.Random, index: PhraseIndex) -> list[Said]:
    said = []
    for word in rng.sample([*SOUNDS, "kettle", "cath"], rng.randint(1, 6)):
        if word == "cath":  # a slip that may stand for two known words
            known = {"calf": 0.5, "hot": 0.25}
        elif word in index.idf:
            known = {word: 1.0}
        else:
            known = {}
        weight = index.idf.get(word, STOPWORD_WEIGHT if word in STOP else 1.5) * rng.randint(1, 2)
        said.append(Said(weight, known))
    return said


@given(st.integers(0, 10_000), st.integers(1, 40))
def test_each_kept_intent_gets_its_best_phrase_scored_exactly(seed: int, intents: int) -> None:
    rng = random.Random(seed)
    index = make_index(rng, intents)
    said = make_said(rng, index)
    found = index.best(said)
    for best in found:
        lo, hi = int(index.starts[best.intent]), int(index.starts[best.intent + 1])
        scores = [one_phrase_score(index, said, index.texts[j]) for j in range(lo, hi)]
        assert abs(best.score - max(scores)) < 1e-6
        assert abs(one_phrase_score(index, said, best.text) - best.score) < 1e-6


@given(st.integers(0, 10_000), st.integers(1, 60))
def test_the_shortlist_keeps_the_intents_sharing_the_most_weight(seed: int, intents: int) -> None:
    rng = random.Random(seed)
    index = make_index(rng, intents)
    said = make_said(rng, index)
    found = {b.intent for b in index.best(said)}
    gains: dict[str, float] = {}
    for word in said:
        for k, s in word.known.items():
            if k not in STOP and k in index.idf:
                gains[k] = max(gains.get(k, 0.0), s)
    shared = {
        i: sum(index.idf[w] * s for w, s in gains.items() if i in set(index.intent_postings[w].tolist()))
        for i in range(intents)
    }
    sharing = [i for i, g in shared.items() if g > 0]
    assert len(found) == min(len(sharing), SHORTLIST)
    if found:
        kept_worst = min(shared[i] for i in found)
        assert all(shared[i] <= kept_worst + 1e-9 for i in sharing if i not in found)


def test_phrases_must_come_grouped_by_intent() -> None:
    with pytest.raises(ValueError, match="grouped by intent"):
        PhraseIndex([("my calf", 1), ("my shin", 0)], 2, STOP)


def test_only_function_words_said_still_find_the_phrases_that_hold_them() -> None:
    index = PhraseIndex([("is it hot", 0), ("my calf", 1)], 2, STOP | {"it"})
    said = [Said(STOPWORD_WEIGHT, {"is": 1.0}), Said(STOPWORD_WEIGHT, {"it": 1.0})]
    assert index.best(said) == []
    assert [b.intent for b in index.best(said, function_words_only=True)] == [0]
