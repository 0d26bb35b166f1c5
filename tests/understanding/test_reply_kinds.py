"""Replies to yes/no questions that a word in them would mislead: an amount played down ("a bit,
nothing major") is no no; "know" typed as "no" after a denial is unsure; a wish to quit said as a
statement is a stop; a question is no answer; commands in texting shorthand are commands."""

from __future__ import annotations

import pytest

from assistant.content.knowledge import Knowledge
from tests.support import meant_at


@pytest.mark.parametrize(
    "text",
    [
        "a tiny bit, nothing major",
        "just a bit, nothing serious",
        "a little, nothing too bad",
        "a bit nothing major",
        "slightly, not too bad",
        "a little not much",
        "yeah a bit, no big deal",
        "a wee bit, nothing to worry about",
        "sort of, nothing dramatic",
        "a touch yes, nothing severe really",
        "a little bit but nothing to write home about",
    ],
)
def test_an_amount_played_down_is_never_a_no(shipped_knowledge: Knowledge, text: str) -> None:
    for question_id in ("rf_lungs", "rf_limb", "rf_infection"):
        assert meant_at(shipped_knowledge, text, question_id) != "no", (text, question_id)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("a tiny bit, nothing major", "yes"),
        ("just a bit, nothing serious", "yes"),
        ("a bit nothing major", "yes"),
        # Without an amount before, the denial is read as it stands.
        ("no, nothing major", "no"),
        ("not really, nothing serious", "no"),
        ("nothing at all", "no"),
        ("no, not a bit", "no"),
    ],
)
def test_a_minimiser_only_qualifies_an_amount(shipped_knowledge: Knowledge, text: str, meant: str) -> None:
    assert meant_at(shipped_knowledge, text) == meant


@pytest.mark.parametrize(
    "text",
    ["i dont no", "I don't no", "i do not no", "i didnt no", "I don't no.", "i dont kno", "dunno", "i dunno"],
)
def test_know_typed_as_no_after_a_denial_is_unsure(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) == "unsure"


@pytest.mark.parametrize("text", ["I don't, no", "i do not, no", "I haven't, no", "no I don't", "I don't"])
def test_a_denial_with_its_no_apart_stays_a_no(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) == "no"


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to do this anymore",
        "i dont want to do this any more",
        "I'm done with this",
        "im done",
        "I don't want to continue",
        "i don't want to go on",
        "honestly I don't want to do this any more",
        "I give up",
        "I don't want to answer anymore",
    ],
)
def test_a_wish_to_quit_said_as_a_statement_is_a_stop(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) == "command:stop"


@pytest.mark.parametrize("text", ["I don't want to go on like this with the pain", "I don't"])
def test_a_denial_about_something_else_is_no_stop(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) != "command:stop"


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("sorry, what do you mean by that exactly", "command:explain"),
        ("ok what do you mean by that exactly", "command:explain"),
        ("I'm lost, what do I do", "command:help"),
        ("im lost what do i do", "command:help"),
        ("what do i do", "command:help"),
        ("how is that relevant", "command:explain"),
    ],
)
def test_a_question_is_a_command_not_an_answer(shipped_knowledge: Knowledge, text: str, meant: str) -> None:
    assert meant_at(shipped_knowledge, text) == meant


@pytest.mark.parametrize(
    "text",
    [
        "is that right?",
        "is that bad?",
        "yes?",
        "what is a clot",
        "how does that matter, really",
        "so what do you think",
    ],
)
def test_a_question_is_no_yes_or_no(shipped_knowledge: Knowledge, text: str) -> None:
    assert meant_at(shipped_knowledge, text) not in ("yes", "no")


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("yes, when I walk", "yes"),
        ("yes which is why I called", "yes"),
        ("no, what I mean is it's fine", "no"),
        ("yeah, how it always is", "yes"),
    ],
)
def test_a_question_word_in_a_statement_asks_none(
    shipped_knowledge: Knowledge, text: str, meant: str
) -> None:
    assert meant_at(shipped_knowledge, text) == meant


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("can u repeat", "command:repeat"),
        ("repeat pls", "command:repeat"),
        ("plz repeat", "command:repeat"),
        ("say again plz", "command:repeat"),
        ("can u say that again pls", "command:repeat"),
        ("help pls", "command:help"),
        ("why u asking", "command:explain"),
        ("what do u mean", "command:explain"),
        ("why do u need to know", "command:explain"),
        ("thx bye", "command:goodbye"),
    ],
)
def test_commands_in_texting_shorthand(shipped_knowledge: Knowledge, text: str, meant: str) -> None:
    assert meant_at(shipped_knowledge, text) == meant
