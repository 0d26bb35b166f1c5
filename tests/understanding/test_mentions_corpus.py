"""The shipped leg content takes facts said in passing as people say them, and nothing else.

Cases live in tests/data/mentions_corpus.yaml: many styles of speaker, denials, hedges, and lines
where two facts disagree. A fact said after a hedge is checked, never taken; a denial never answers
a red flag; a choice mentioned two ways is asked.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from assistant.content.knowledge import Knowledge
from tests.support import DATA

CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "mentions_corpus.yaml").read_text(encoding="utf-8"))[
    "cases"
]


def taken(knowledge: Knowledge, said: str) -> dict[str, str]:
    understander = knowledge.understander
    intent = knowledge.intent("leg_warmth")
    assert intent is not None
    found = understander.mentions.find(understander.hearing.hear(said), intent.questions)
    return {m.question: (m.value if m.certain else "ask") for m in found}


@pytest.mark.parametrize("case", CASES, ids=[c["said"][:40] for c in CASES])
def test_what_is_taken_in_passing(shipped_knowledge: Knowledge, case: dict[str, Any]) -> None:
    got = taken(shipped_knowledge, case["said"])
    assert got == case["takes"]
    for question in case.get("never", []):
        assert question not in got


def test_the_corpus_covers_every_question_with_mentions(shipped_knowledge: Knowledge) -> None:
    intent = shipped_knowledge.intent("leg_warmth")
    assert intent is not None
    with_mentions = {q.id for q in intent.questions if q.mentions}
    covered = {q for case in CASES for q in case["takes"]}
    assert with_mentions - covered == set()
    # Denials, hedges and conflicts are each tried more than once.
    values = [v for case in CASES for v in case["takes"].values()]
    assert values.count("no") >= 5 and values.count("ask") >= 4
    assert sum(1 for case in CASES if case.get("never")) >= 5


def test_no_red_flag_is_answered_no_in_passing(shipped_knowledge: Knowledge) -> None:
    intent = shipped_knowledge.intent("leg_warmth")
    assert intent is not None
    flags = {q.id for q in intent.questions if q.red_flag}
    for case in CASES:
        for question, value in taken(shipped_knowledge, case["said"]).items():
            assert not (question in flags and value == "no"), case["said"]
