from __future__ import annotations

import pytest

from assistant.content.knowledge import Knowledge


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, my CALF feels hot!!", "my calf feels hot"),
        ("I don't know", "i do not know"),
        ("I dont know", "i do not know"),
        ("I’m not sure", "i am not sure"),
        ("sixty-two", "62"),
        ("about three days", "about 3 days"),
        ("one hundred and five", "105"),
        ("twenty five", "25"),
        # Digit words in a row are a code said digit by digit, not a sum.
        ("call nine one one", "call 911"),
        ("zero zero zero", "000"),
        ("one one two now", "112 now"),
        ("nine hundred and eleven", "911"),
        ("my big tow hurts", "my big toe hurts"),
        ("tabs\tand\nnewlines", "tabs and newlines"),
        ("\x00\x1b[31mred", "31mred"),
        ("", ""),
        ("!!!", ""),
    ],
)
def test_normalize(toy_knowledge: Knowledge, text: str, expected: str) -> None:
    assert toy_knowledge.normalizer(text) == expected


def test_very_long_input_is_bounded(toy_knowledge: Knowledge) -> None:
    assert len(toy_knowledge.normalizer("word " * 100_000)) <= 2000
