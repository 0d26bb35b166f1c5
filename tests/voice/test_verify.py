"""Out-of-grammar rejection: the cases measured on espeak-ng speech through PocketSphinx."""

from __future__ import annotations

import pytest

from assistant.content.knowledge import Knowledge
from assistant.voice.verify import agrees, polarity_safe


@pytest.mark.parametrize(
    ("constrained", "free", "expected"),
    [
        # Real answers: free-form hears the same or a near variant.
        ("i don't know", "i don't know", True),
        ("nope", "nah", True),  # same meaning
        ("yeah", "yes", True),
        ("not really", "really", True),  # "really" alone is no answer: only similarity counts
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
        # A yes or no whose free hearing means otherwise is asked again, never guessed.
        ("absolutely", "absolutely not", False),
        ("i don't think so", "i should think so", False),
        ("no", "not sure", False),
        ("yes", "no", False),
    ],
)
def test_agreement(toy_knowledge: Knowledge, constrained: str, free: str, expected: bool) -> None:
    assert agrees(constrained, free, toy_knowledge.yes_no_parser.parse) is expected


def test_short_answers_of_opposite_polarity_that_sound_alike_leave_the_grammar(
    toy_knowledge: Knowledge,
) -> None:
    sounds = {"ya": ("Y", "AA"), "nah": ("N", "AA"), "no": ("N", "OW"), "yes": ("Y", "EH", "S"), "maybe": ()}
    kept = polarity_safe(list(sounds), toy_knowledge.yes_no_parser.parse, lambda p: sounds.get(p) or None)
    assert kept == ["no", "yes", "maybe"]
