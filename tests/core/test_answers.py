from __future__ import annotations

import pytest

from assistant.content.knowledge import Knowledge
from assistant.understanding.answers import parse_choice, parse_number
from assistant.understanding.understand import Expecting


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("yes", "yes"),
        ("yeah", "yes"),
        ("Yep.", "yes"),
        ("sure", "yes"),
        ("I think so", "yes"),
        ("a little", "yes"),
        ("yeah it's swollen", "yes"),
        ("it is a bit", "yes"),
        ("nope", "no"),
        ("nah", "no"),
        ("no", "no"),
        ("not really", "no"),
        ("I don't think so", "no"),
        ("never", "no"),
        ("not swollen", "no"),
        ("it isn't swollen", "no"),
        ("I haven't", "no"),
        ("I don't know", "unsure"),
        ("not sure", "unsure"),
        ("I'm not sure", "unsure"),
        ("maybe", "unsure"),
        ("no idea", "unsure"),
        ("yes, maybe", "unsure"),
        ("banana", None),
        ("", None),
        ("yes no", "no"),  # "yeah no" is no, as English speakers mean it
        ("yes, she is confused and not making sense", "yes"),
        ("no, it's a bit better", "no"),
        ("it is, I don't know, no", "unsure"),
        ("it is not", "no"),
        ("it is but it isn't", None),
    ],
)
def test_yes_no(toy_knowledge: Knowledge, said: str, value: str | None) -> None:
    assert toy_knowledge.yes_no_parser.parse(said) == value


def test_question_specific_words(toy_knowledge: Knowledge) -> None:
    extra = {"yes": ("ne",), "no": ("aniyo",)}
    assert toy_knowledge.yes_no_parser.parse("ne", extra) == "yes"
    assert toy_knowledge.yes_no_parser.parse("aniyo", extra) == "no"


@pytest.mark.parametrize(
    ("said", "choice"),
    [
        ("today", "today"),
        ("it started this morning", "today"),
        ("a few days ago", "week"),
        ("weeks ago I think", "longer"),
        ("the first one", "today"),
        ("last", "longer"),
        ("this mornin", "today"),
        ("it was last night", "today"),
        ("purple", None),
        ("today or this week", None),
    ],
)
def test_choice(toy_knowledge: Knowledge, said: str, choice: str | None) -> None:
    intent = toy_knowledge.intent("toe_pain")
    assert intent is not None
    question = intent.question("started")
    assert question is not None
    assert parse_choice(said, question, toy_knowledge.choice_parser) == choice


@pytest.mark.parametrize(
    ("said", "number"),
    [("62", 62), ("sixty two", 62), ("I'm about forty", 40), ("one hundred and one", 101), ("old", None)],
)
def test_number(toy_knowledge: Knowledge, said: str, number: int | None) -> None:
    assert parse_number(said, toy_knowledge.normalizer) == number


@pytest.mark.parametrize(
    ("said", "value"),
    [
        # A one-word answer inside a sentence is a word there, not an answer.
        ("no it was my heater, i sit right by it", "no"),
        ("nope, it's right next to the radiator", "no"),
        ("no, i was right in the sun all day", "no"),
        ("yes, it hurts right here", "yes"),
        # An answer that ends what was said, or one of several words, still counts.
        ("yeah, definitely not", "no"),
        ("yeah, definitely not, it is fine", "no"),
        ("no yeah, it is", "yes"),
        ("no, sorry, yes", "yes"),
    ],
)
def test_an_answer_word_inside_a_sentence(shipped_knowledge: Knowledge, said: str, value: str) -> None:
    assert shipped_knowledge.understander.understand(said, Expecting("yes_no")).answer == value
