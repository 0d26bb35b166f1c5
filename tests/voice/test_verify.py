"""Out-of-grammar rejection: the cases measured on espeak-ng speech through PocketSphinx."""

from __future__ import annotations

import pytest

from assistant.content.knowledge import Knowledge
from assistant.voice.verify import agrees


@pytest.mark.parametrize(
    ("constrained", "free", "expected"),
    [
        # Real answers: free-form hears the same or a near variant.
        ("i don't know", "i don't know", True),
        ("nope", "nah", True),  # same meaning
        ("yeah", "yes", True),
        ("not really", "really", True),
        ("not sure", "sure", True),
        ("no", "nope", True),
        # Nonsense forced onto a grammar phrase: free-form hears something else.
        ("none", "flare none of", False),  # "purple elephant banana": would be a NO to a red flag
        ("there is", "there is my leg", False),  # "the weather is nice today"
        ("i am", "a little dunno", False),
        ("somewhat", "seventy three are pulled", False),
        ("call", "i pulled my my other", False),
        ("no way", "when i undo", False),
        ("yes", "", False),
    ],
)
def test_agreement(toy_knowledge: Knowledge, constrained: str, free: str, expected: bool) -> None:
    assert agrees(constrained, free, toy_knowledge.yes_no_parser.parse) is expected
