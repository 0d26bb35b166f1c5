"""A part of the body misspelt or misheard ("ankel", "caf") still names it: the complaint is not
taken for one about a thing the intent never mentions."""

from __future__ import annotations

import pytest

from assistant.content.knowledge import Knowledge

MISSPELT = [
    "my ankel feels warm",
    "my ankel is hot",
    "my caf feels warm and swolen",
    "my clf is warm",
    "my left ankel has gone hot",
]

#: Things, some a letter or two from a part of the body: never the leg intent.
THINGS = [
    "my food is hot",
    "my water is hot",
    "my bath is too hot",
    "the soup is warm",
    "my coffee has gone warm",
    "the oven is hot",
]


@pytest.mark.parametrize("said", MISSPELT)
def test_a_misspelt_part_names_the_part(shipped_knowledge: Knowledge, said: str) -> None:
    u = shipped_knowledge.understander.understand(said)
    assert u.meaning == "intent"
    assert u.top is not None and u.top.intent.id == "leg_warmth"
    assert u.top.score >= shipped_knowledge.system.confirm_score


@pytest.mark.parametrize("said", THINGS)
def test_a_thing_is_not_a_part(shipped_knowledge: Knowledge, said: str) -> None:
    assert shipped_knowledge.understander.understand(said).meaning != "intent"
