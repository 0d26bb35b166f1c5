"""Facts said in passing answer the questions they are about: taken when the question is reached,
shown as "mentioned" in the events and the summary; a denial never answers a red flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.base.events import Answer, Ask, Event, Result, Summary
from assistant.base.intents import Question
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge, check_files
from assistant.conversation.dialog import Dialog
from tests.support import SYSTEM_FILE, TOY_INTENTS, fixed_clock, talk


@pytest.fixture
def dialog(shipped_knowledge: Knowledge) -> Dialog:
    return Dialog(shipped_knowledge, Settings(offer_summary=False), clock=fixed_clock)


def answers(events: list[Event]) -> dict[str, tuple[object, str]]:
    return {e.question: (e.value, e.source) for e in events if isinstance(e, Answer)}


def asked(events: list[Event]) -> list[str]:
    return [e.question for e in events if isinstance(e, Ask)]


NO_FLAGS = ["no", "no", "no", "no"]  # the three red flags, then injury


def test_swelling_said_in_the_opening_is_not_asked_again(dialog: Dialog) -> None:
    events = talk(dialog, "my lower leg feels warm and swollen", *NO_FLAGS, "yes", "none")
    assert answers(events)["swollen"] == ("yes", "mentioned")
    assert "swollen" not in asked(events)
    results = [e for e in events if isinstance(e, Result)]
    assert results and results[0].triage == "urgent"


def test_a_denied_fever_answers_no(dialog: Dialog) -> None:
    events = talk(
        dialog, "my big toe is hot and I haven't got a temperature", *NO_FLAGS, "yes", "a swollen joint", "no"
    )
    assert answers(events)["fever"] == ("no", "mentioned")
    assert "fever" not in asked(events)


def test_a_mention_in_an_answer_counts_for_a_later_question(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is warm", *NO_FLAGS, "yes, and it's swollen too", "none")
    assert answers(events)["swollen"] == ("yes", "mentioned")


def test_the_json_answer_event_says_where_it_came_from(dialog: Dialog) -> None:
    events = talk(dialog, "my lower leg feels warm and swollen", *NO_FLAGS, "yes", "none")
    mentioned = next(e for e in events if isinstance(e, Answer) and e.question == "swollen")
    assert mentioned.to_dict()["from"] == "mentioned"
    said = next(e for e in events if isinstance(e, Answer) and e.question == "one_leg")
    assert "from" not in said.to_dict()


def test_the_clinician_summary_shows_what_was_mentioned(shipped_knowledge: Knowledge) -> None:
    d = Dialog(shipped_knowledge, Settings(offer_summary=True), clock=fixed_clock)
    talk(d, "my lower leg feels warm and swollen", *NO_FLAGS, "yes", "none")
    summary = [e for e in d.handle("yes") if isinstance(e, Summary)]
    assert summary and 'mentioned in passing: "my lower leg feels warm and swollen"' in summary[0].text


def test_a_denial_never_answers_a_red_flag(shipped_knowledge: Knowledge) -> None:
    understander = shipped_knowledge.understander
    flag = Question("rf", "yes_no", "Any chest pain?", red_flag=True, mentions={"yes": ("chest pain",)})
    plain = Question("fever", "yes_no", "Any fever?", mentions={"yes": ("fever",)})
    found = understander.mentions.find(understander.hearing.hear("no chest pain and no fever"), [flag, plain])
    assert [(m.question, m.value) for m in found] == [("fever", "no")]
    found = understander.mentions.find(understander.hearing.hear("I have chest pain"), [flag, plain])
    assert [(m.question, m.value) for m in found] == [("rf", "yes")]


def test_a_negation_far_before_the_mention_does_not_deny_it(shipped_knowledge: Knowledge) -> None:
    understander = shipped_knowledge.understander
    q = Question("immobile", "yes_no", "Surgery?", mentions={"yes": ("surgery",)})
    heard = understander.hearing.hear("I can't walk far these days since the knee surgery")
    assert [(m.value) for m in understander.mentions.find(heard, [q])] == ["yes"]


def test_a_choice_question_lists_its_mentions_under_its_choices(tmp_path: Path) -> None:
    text = (TOY_INTENTS / "toe_pain.yaml").read_text(encoding="utf-8")
    old = "    kind: choice\n    ask: When did it start?"
    assert old in text
    path = tmp_path / "toe_pain.yaml"
    path.write_text(text.replace(old, "    kind: choice\n    mentions: [today]\n    ask: When did it start?"))
    knowledge, problems = check_files([SYSTEM_FILE, path])
    errors = [str(p) for p in problems if p.severity == "error"]
    assert knowledge is None
    assert any("choice id -> phrases" in e and "toe_pain.yaml:" in e for e in errors), errors
