"""A command said in other words is made of words about the conversation; a command word among
words about something else (a symptom, a part of the body, a habit) is no command."""

from __future__ import annotations

import pytest

from assistant.base.events import Ask, Result, Say
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.understanding.understand import OPENING, Expecting
from tests.support import fixed_clock

#: (what was said, the command it is)
COMMANDS_IN_OTHER_WORDS = [
    ("can we go back to the previous question", "go_back"),
    ("could we go back a question please", "go_back"),
    ("could you say that one more time please", "repeat"),
    ("sorry I missed the question", "repeat"),
    ("can you say it slower", "repeat"),
    ("say it again louder please", "repeat"),
    ("why do you need to know that", "explain"),
    ("why is that important", "explain"),
    ("what does that question mean", "explain"),
    ("i want to stop now", "stop"),
    ("stop asking me questions", "stop"),
    ("please can you help me", "help"),
    ("hang on go back", "go_back"),
    ("hold on, can you say that again", "repeat"),
    ("run that by me one more time", "repeat"),
    ("ta-ra", "goodbye"),
]

#: A command word said about something else: not a command, wherever it is said.
ABOUT_SOMETHING_ELSE = [
    "I can't stop coughing",
    "i cant stop shaking",
    "my nose won't stop running",
    "I want to quit smoking",
    "how do I quit vaping",
    "I finished my antibiotics",
    "can you repeat my medication list",
    "my ear hurts, can you help",
    "help me understand my blood test",
    "my back is killing me",
    "lower back pain",
    "sore back",
    "back ache",
    "my upper back feels warm",
    "i hurt my back lifting",
    "I missed my tablets this morning",
    "I've had enough of this pain",
    "I want to go back to sleep",
    "my nose keeps running again",
]


def red_flag(knowledge: Knowledge) -> Expecting:
    question = next(q for i in knowledge.intents for q in i.questions if q.red_flag)
    return Expecting("yes_no", question)


@pytest.mark.parametrize(("said", "command"), COMMANDS_IN_OTHER_WORDS)
def test_a_command_in_other_words_is_understood(
    shipped_knowledge: Knowledge, said: str, command: str
) -> None:
    u = shipped_knowledge.understander.understand(said, red_flag(shipped_knowledge))
    assert (u.meaning, u.command) == ("command", command)


@pytest.mark.parametrize("said", ABOUT_SOMETHING_ELSE)
@pytest.mark.parametrize("where", ["opening", "red_flag"])
def test_a_command_word_about_something_else_is_no_command(
    shipped_knowledge: Knowledge, said: str, where: str
) -> None:
    asked = OPENING if where == "opening" else red_flag(shipped_knowledge)
    u = shipped_knowledge.understander.understand(said, asked)
    assert u.command is None, f"{said!r} taken as the command {u.command}"


def test_the_words_of_the_question_asked_count_as_words_about_the_conversation(
    shipped_knowledge: Knowledge,
) -> None:
    question = next(q for i in shipped_knowledge.intents for q in i.questions if "pale" in q.ask.lower())
    understander = shipped_knowledge.understander
    asked = Expecting(question.kind, question)
    assert understander.understand("what do you mean by pale", asked).command == "explain"
    assert understander.understand("what do you mean by pale", OPENING).command is None


def test_cant_stop_coughing_at_a_red_flag_does_not_end_the_conversation(
    shipped_knowledge: Knowledge,
) -> None:
    dialog = Dialog(shipped_knowledge, Settings(offer_summary=False), clock=fixed_clock)
    dialog.start()
    dialog.handle("my calf is hot and swollen")
    events = dialog.handle("I can't stop coughing")
    assert not dialog.finished
    assert not any(isinstance(e, Result) for e in events)
    assert any(isinstance(e, Ask) for e in events)  # asked again
    assert not any(isinstance(e, Say) and e.role == "fallback" for e in events)


@pytest.mark.parametrize("heard", ["ta ta ta", "ta ta it did", "I have had enough of this pain"])
def test_a_command_that_ends_the_conversation_is_never_taken_from_inside_a_longer_reply(
    shipped_knowledge: Knowledge, heard: str
) -> None:
    """A recognizer's "ta ta ta" for a complaint it could not hear must not end the conversation."""
    u = shipped_knowledge.understander.understand(heard)
    assert u.command not in ("stop", "goodbye")
