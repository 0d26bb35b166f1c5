"""Yes/no replies whose words mislead: a negative word in a yes or unsure idiom, double negatives,
assurances after a no, acknowledgements, remarks about the conversation, statements of something
else. Understood at the shipped intent's questions, as the dialog asks them."""

from __future__ import annotations

import pytest

from assistant.base.intents import Question
from assistant.content.knowledge import Knowledge
from assistant.understanding.understand import Expecting, Understander
from tests.support import meant_at


def _question(knowledge: Knowledge, question_id: str) -> Question:
    return next(q for i in knowledge.intents for q in i.questions if q.id == question_id)


@pytest.mark.parametrize(
    "text",
    [
        "no doubt about it",
        "without a doubt",
        "you're not wrong",
        "there's no denying it",
        "I don't doubt it",
        "not half",
        "yes, no doubt",
        "i cant deny it",
        "yesss",
        "spot on",
    ],
)
def test_a_yes_idiom_with_a_negative_word_is_yes(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "I don't really know",
        "I genuinely don't know",
        "haven't the foggiest",
        "I haven't the faintest idea",
        "I have no way of knowing",
        "I haven't a scooby",
        "not a hundred per cent",
        "not shore",
        "I don't remember",
        "I'm not entirely sure",
        "can't be sure",
        "I'm not positive",
        "beats me",
        "idk",
    ],
)
def test_a_denial_of_knowing_is_unsure_never_no_or_yes(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) == "unsure"


@pytest.mark.parametrize(
    "text",
    [
        "yes and no",
        "I wouldn't say it isn't",
        "it's not not swollen",
        "I don't think it isn't",
        "no, absolutely",
        "no, definitely",
        "right, okay",
        "I'm worried about it",
        "I'm 78",
        "I have a question",
    ],
)
def test_unclear_polarity_is_asked_again(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) == "not_understood"


@pytest.mark.parametrize(
    "text",
    [
        "nah, she'll be right",
        "no, I'm sure",
        "nah, I reckon I'm right",
        "no im sure",
        "I'm sure I haven't",
        "can't say I have",
        "not a bit of it",
        "nop",
        "nooo",
        # A list of denials is not a double negative.
        "I haven't been short of breath and I haven't fainted",
        "I haven't, not at all",
        "it doesn't hurt, no",
    ],
)
def test_a_no_stays_no(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) == "no"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("I have been a bit short of breath", "rf_lungs"),
        ("I have fainted twice", "rf_lungs"),
        ("I'm a bit confused", "rf_infection"),
        ("it is spreading", "rf_infection"),
        ("yes, I'm sure", "rf_lungs"),
        ("right", "rf_lungs"),
    ],
)
def test_a_statement_about_the_question_is_still_yes(
    shipped_knowledge: Knowledge, text: str, question: str
) -> None:
    asked = _question(shipped_knowledge, question)
    # An emergency said at a red flag that asks about it still answers it.
    assert shipped_knowledge.understander.understand(text, Expecting("yes_no", asked)).answer == "yes"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("sorry, I wasn't listening", "repeat"),
        ("I don't get the question", "explain"),
        ("I'm confused by your question", "explain"),
        ("I'm not sure what you mean", "explain"),
        ("never mind, stop", "stop"),
        ("I don't want to answer any more questions", "stop"),
        ("I'm done with this", "stop"),
        ("oops I meant to say no to the last one", "go_back"),
        ("can I change my last answer", "go_back"),
    ],
)
def test_a_remark_about_the_conversation_is_a_command(
    shipped_knowledge: Knowledge, text: str, command: str
) -> None:
    assert meant_at(shipped_knowledge, text) == f"command:{command}"


def test_the_last_one_at_a_choice_question_is_the_last_option(shipped_knowledge: Knowledge) -> None:
    question = _question(shipped_knowledge, "sign")
    u: Understander = shipped_knowledge.understander
    got = u.understand("the last one", Expecting("choice", question))
    assert got.command is None and got.answer == question.choices[-1].id
    got = u.understand("I don't think any of those", Expecting("choice", question))
    assert got.answer == "none"


def test_letters_drawn_out_only_lengthen_an_answer_word(shipped_knowledge: Knowledge) -> None:
    parser = shipped_knowledge.understander.yes_no
    assert parser.parse("yeahhh") == "yes"
    assert parser.parse("noooo") == "no"
    assert parser.parse("nopeee") == "no"
    assert parser.parse("too") is None  # a shorter word is not made longer
    assert parser.parse("kind off") is None  # only one-word answers are drawn out


@pytest.mark.parametrize(
    ("said", "meant"), [("yesss", "yes"), ("nooooo", "no"), ("yeahhh", "yes"), ("noooope", "no")]
)
def test_letters_drawn_out_are_the_answer_word(shipped_knowledge: Knowledge, said: str, meant: str) -> None:
    assert shipped_knowledge.understander.yes_no.parse(said) == meant


def test_a_long_word_of_doubled_letters_is_read_in_one_pass(shipped_knowledge: Knowledge) -> None:
    """Every doubled letter was once tried both ways, which never ended for a long word of them
    (a stuck key, pasted junk): it is now one pass over the word."""
    junk = "aabbccddeeffgghhiijjkkllmmnnooppqqrrssttuuvvwwxxyyzz" * 20
    assert shipped_knowledge.understander.yes_no.parse(junk) is None
    assert shipped_knowledge.understander.understand(f"yes {junk}").heard.words
