"""``assistant check`` on many intents finds what it found when it matched every phrase (issue 13).

Checking new intents beside the shipped ones used to send every phrase through the matcher, which
grew with the square of the number of intents. Now only the phrases another intent could take go
through it (:mod:`assistant.authoring.near_phrases`); these check that nothing is lost: the same
problems as matching every phrase, on generated intents with planted collisions of every kind, and
the planted problems still found among 1,000 intents.
"""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType

import pytest

from assistant.authoring import near_phrases
from assistant.authoring.check import run_check
from assistant.content.knowledge import SHIPPED_INTENTS
from assistant.understanding.phrase_index import RECALL_WEIGHT
from tests.support import load_script

BENCH = Path(__file__).resolve().parents[2] / "bench" / "check_bench.py"

#: Intents written to collide, each as one kind of problem the check must find.
PLANTED = {
    # A sentence of the shipped leg intent, word for word: the leg intent takes it (an error).
    "planted_same": ["my calf feels hot", "a planted same phrase"],
    # Every content word of a short shipped phrase, and more: the leg intent accepts it (a warning).
    "planted_near": ["my left toe burns at night zuvaxo", "a planted near phrase"],
    # Two new intents with the same words: each takes the other's phrase (errors).
    "planted_twin_a": ["my elbow clicks when i row", "a twin clicking elbow"],
    "planted_twin_b": ["when i row my elbow clicks", "a twin clicking elbow b"],
    # The leg intent's keyword said with little else.
    "planted_keyword": ["sore shin", "a planted shin"],
    # One content word, said with many function words.
    "planted_single": ["it is my thigh", "a planted thigh"],
}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_script(BENCH, "check_bench_for_tests")


def planted_yaml(bench: ModuleType, intent_id: str, phrases: list[str]) -> str:
    """A generated intent (questions, causes, triage from the bench) with the given phrases."""
    text: str = bench.intent_yaml(0, random.Random(intent_id), 3)
    _, rest = text.split("sources:\n", 1)
    lines = [f"intent: {intent_id}", f"title: {phrases[1]}", "phrases:", f"  - {phrases[0]}"]
    return "\n".join(lines) + "\nsources:\n" + rest


def write_intents(folder: Path, bench: ModuleType, count: int, phrases: int, crowd: int = 0) -> Path:
    folder.mkdir()
    rng = random.Random(13)
    for i in range(count):
        (folder / f"bench_{i}.yaml").write_text(bench.intent_yaml(i, rng, phrases))
    for intent_id, said in PLANTED.items():
        (folder / f"{intent_id}.yaml").write_text(planted_yaml(bench, intent_id, said))
    # Many intents with the same few common words: the matcher scores only a few of them.
    for i in range(crowd):
        (folder / f"crowd_{i}.yaml").write_text(
            planted_yaml(bench, f"crowd_{i}", ["my wrist aches", f"crowd {i}"])
        )
    return folder


def problems_of(folder: Path, *, shipped_too: bool = False) -> list[str]:
    paths = [SHIPPED_INTENTS, folder] if shipped_too else [folder]
    return [str(p) for p in run_check(paths).problems]


def test_the_same_problems_as_matching_every_phrase(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_intents(tmp_path / "many", bench, 150, 12, crowd=20)
    fast = problems_of(folder)
    # The check as it was: every phrase goes through the matcher.
    monkeypatch.setattr(near_phrases.NearPhrases, "may_be_taken", lambda self, phrase, own: True)
    assert fast == problems_of(folder)
    about_phrases = [p for p in fast if "matches intent" in p or "is close to intent" in p]
    assert len(about_phrases) > 20  # the corpus does collide: the comparison is not empty


def kinds_found(problems: list[str]) -> dict[str, list[str]]:
    """The problems about each planted intent's phrases, errors marked as such."""
    return {
        intent_id: [
            ("error " if ": warning: " not in p else "warning ") + p
            for p in problems
            if f"/{intent_id}.yaml:" in p and "intent" in p
        ]
        for intent_id in PLANTED
    }


def test_planted_problems_are_found_among_a_thousand_intents(bench: ModuleType, tmp_path: Path) -> None:
    folder = write_intents(tmp_path / "thousand", bench, 1000, 4, crowd=20)
    problems = problems_of(folder)
    found = kinds_found(problems)
    assert any(p.startswith("error") and "matches intent 'leg_warmth'" in p for p in found["planted_same"])
    assert any(p.startswith("warning") and "close to intent 'leg_warmth'" in p for p in found["planted_near"])
    assert any(
        p.startswith("error") and "matches intent 'planted_twin_b'" in p for p in found["planted_twin_a"]
    )
    assert any(
        p.startswith("error") and "matches intent 'planted_twin_a'" in p for p in found["planted_twin_b"]
    )
    assert any("intent 'leg_warmth'" in p for p in found["planted_keyword"]), found
    # So many intents have "wrist" and "aches" that the matcher never reaches the crowd's own.
    crowded = [p for p in problems if "/crowd_" in p and "'my wrist aches' matches intent" in p]
    assert len(crowded) == 20
    # Checked with the shipped folder, the new phrases are checked among all the intents.
    together = problems_of(folder, shipped_too=True)
    assert any("/planted_twin_a.yaml:" in p and "matches intent 'planted_twin_b'" in p for p in together)
    assert any("/planted_same.yaml:" in p and "matches intent 'leg_warmth'" in p for p in together)


def test_an_intent_with_a_shipped_intents_id_is_checked_among_its_folder(
    bench: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "same-id"
    folder.mkdir()
    (folder / "leg.yaml").write_text(planted_yaml(bench, "leg_warmth", ["my ribs creak", "ribs"]))
    (folder / "other.yaml").write_text(planted_yaml(bench, "ribs_creak", ["my ribs creak", "ribs b"]))
    problems = problems_of(folder)
    # Not loadable beside the shipped intents: the phrases are checked among the folder's own.
    assert any("matches intent 'leg_warmth'" in p and "/other.yaml:" in p for p in problems)
    assert not any("is close to intent" in p for p in problems)


@pytest.mark.parametrize("score", [55, 68, 80, 82, 95])
def test_the_least_recall_is_what_the_score_needs(score: int) -> None:
    """At exactly the least recall and a perfect precision, the F-measure is the score."""
    recall = near_phrases.min_recall(score)
    beta2 = RECALL_WEIGHT**2
    f = 100 * (1 + beta2) * recall / (beta2 + recall)
    assert f == pytest.approx(score - near_phrases.ROUNDING)
