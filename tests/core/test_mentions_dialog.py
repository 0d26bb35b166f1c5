"""Facts said in passing in the dialog: a plain one answers its question, a hedged one is checked
in one short question, and the questions name the part of the body the person named."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.base.events import Answer, Ask, Event, Result
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge, check_files
from assistant.conversation.dialog import Dialog
from assistant.evaluation.simulate import play
from assistant.evaluation.vignettes import Vignette
from tests.support import SYSTEM_FILE, TOY_INTENTS, fixed_clock, talk

NO_FLAGS = ["no", "no", "no"]


@pytest.fixture
def dialog(shipped_knowledge: Knowledge) -> Dialog:
    return Dialog(shipped_knowledge, Settings(offer_summary=False), clock=fixed_clock)


def asks(events: list[Event]) -> list[Ask]:
    return [e for e in events if isinstance(e, Ask)]


def answer(events: list[Event], question: str) -> Answer:
    return next(e for e in events if isinstance(e, Answer) and e.question == question)


def result(events: list[Event]) -> Result:
    return next(e for e in events if isinstance(e, Result))


def test_a_choice_said_plainly_is_not_asked(dialog: Dialog) -> None:
    events = talk(dialog, "my shins are sunburnt and they feel really hot", *NO_FLAGS, "no", "none", "no")
    assert (answer(events, "trigger").value, answer(events, "trigger").source) == ("sunburn", "mentioned")
    assert (answer(events, "one_leg").value, answer(events, "one_leg").source) == ("no", "mentioned")
    assert "trigger" not in [a.question for a in asks(events)]
    assert result(events).triage == "self_care"
    assert [c.id for c in result(events).causes] == ["sunburn"]


def test_a_hedged_choice_is_checked_in_one_short_question(dialog: Dialog) -> None:
    events = talk(dialog, "maybe i got sunburnt and my shins feel hot", *NO_FLAGS, "no", "none", "no")
    check = asks(events)[-1]
    assert check.question == "trigger" and check.kind == "yes_no"
    assert check.text == "You mentioned sunburn. Is that right?"
    events = dialog.handle("yes")
    assert (answer(events, "trigger").value, answer(events, "trigger").source) == ("sunburn", "mentioned")
    assert result(events).triage == "self_care"


def test_a_hedged_choice_answered_no_asks_the_question(dialog: Dialog) -> None:
    talk(dialog, "maybe i got sunburnt and my shins feel hot", *NO_FLAGS, "no", "none", "no")
    events = dialog.handle("no")
    assert [a.question for a in asks(events)] == ["trigger"]
    assert asks(events)[0].kind == "choice"
    assert result(dialog.handle("none of these")).triage == "soon"


def test_a_hedged_yes_no_fact_is_confirmed_in_its_own_words(dialog: Dialog) -> None:
    events = talk(
        dialog,
        "i think i've had a clot before and my left calf is warm",
        *NO_FLAGS,
        "no",
        "none",
        "no",
        "no",
        "no",
        "no",
    )
    texts = [a.text for a in asks(events)]
    assert "You said you've had a blood clot before. Is that right?" in texts
    assert "Have you ever had a blood clot in a leg or in the lungs?" not in texts
    events = dialog.handle("no")
    assert (answer(events, "previous_clot").value, answer(events, "previous_clot").source) == ("no", "said")
    assert asks(events)[0].question == "cancer"


def test_a_hedged_fact_with_no_short_check_is_asked_plainly(dialog: Dialog) -> None:
    events = talk(dialog, "my big toe is hot, i might have a temperature", *NO_FLAGS, "no", "yes")
    assert asks(events)[-1].text.startswith("Are your feet numb")
    events = dialog.handle("no")
    assert asks(events)[0].question == "fever" and asks(events)[0].kind == "yes_no"


@pytest.mark.parametrize(
    ("said", "asked"),
    [
        ("my big toe is hot", "Is it only in one foot?"),
        ("the soles of my feet burn", None),  # both feet, said: not asked
        ("my ankle feels warm", "Is it only in one ankle?"),
        ("the back of my knee is warm", "Is it only in one knee?"),
        ("my lower leg feels warm", "Is it only in one leg?"),
        ("warm sensation in my calf", "Is it only in one calf?"),
    ],
)
def test_questions_name_the_part_the_person_named(dialog: Dialog, said: str, asked: str | None) -> None:
    events = talk(dialog, said, *NO_FLAGS, "no")
    one_leg = [a.text for a in asks(events) if a.question == "one_leg"]
    assert one_leg == ([asked] if asked else [])


def test_the_swelling_question_names_the_part(dialog: Dialog) -> None:
    events = talk(dialog, "my ankle feels warm", *NO_FLAGS, "no", "yes", "none")
    assert "Is that ankle swollen?" in [a.text for a in asks(events)]


def _toy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (TOY_INTENTS / "toe_pain.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "toe_pain.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_part_placeholder_without_parts_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = _toy_with(tmp_path, "    ask: When did it start?", "    ask: When did that {part} start hurting?")
    knowledge, problems = check_files([SYSTEM_FILE, path])
    errors = [str(p) for p in problems if p.severity == "error"]
    assert knowledge is None
    assert any("toe_pain.yaml:" in e and "parts:" in e for e in errors), errors


def test_mentions_under_an_unknown_choice_are_an_error_with_the_choices(tmp_path: Path) -> None:
    path = _toy_with(
        tmp_path,
        "    kind: choice\n    ask: When did it start?",
        "    kind: choice\n    mentions: {someday: [one day]}\n    ask: When did it start?",
    )
    knowledge, problems = check_files([SYSTEM_FILE, path])
    errors = [str(p) for p in problems if p.severity == "error"]
    assert knowledge is None
    assert any("toe_pain.yaml:" in e and "someday" in e for e in errors), errors


def test_a_hedged_choice_answered_with_another_choice_takes_it(dialog: Dialog) -> None:
    talk(dialog, "maybe i got sunburnt and my shins feel hot", *NO_FLAGS, "no", "none", "no")
    events = dialog.handle("no it was a wasp sting actually")
    assert (answer(events, "trigger").value, answer(events, "trigger").source) == ("bite", "said")
    assert result(events).triage == "self_care"


def test_a_simulated_patient_answers_a_check_from_its_facts(shipped_knowledge: Knowledge) -> None:
    facts = {
        "rf_lungs": "no",
        "rf_limb": "no",
        "rf_infection": "no",
        "injury": "no",
        "pattern": "none",
        "known_cause": "no",
        "trigger": "sunburn from the beach",
    }
    vignette = Vignette(
        "hedged",
        "i think i got sunburnt and my shins feel hot",
        facts,
        "self_care",
        ("self_care",),
        ("sunburn",),
    )
    outcome = play(vignette, shipped_knowledge, Settings())
    assert not outcome.error and outcome.triage == "self_care" and outcome.causes == ("sunburn",)


def test_go_back_at_a_check_asks_the_question_before(dialog: Dialog) -> None:
    events = talk(dialog, "maybe i got sunburnt and my shins feel hot", *NO_FLAGS, "no", "none", "no")
    assert asks(events)[-1].text == "You mentioned sunburn. Is that right?"
    events = dialog.handle("go back")
    assert [a.question for a in asks(events)] == ["known_cause"]
    events = dialog.handle("yes")
    assert (answer(events, "known_cause").value, asks(events)[0].question) == ("yes", "known_same")


def test_go_back_while_a_choice_is_asked_one_option_at_a_time(dialog: Dialog) -> None:
    talk(dialog, "my calf is warm", *NO_FLAGS, "no", "yes", "purple", "purple")
    assert dialog.state.probe is not None  # the sign question, one option at a time
    events = dialog.handle("go back")
    assert [a.question for a in asks(events)] == ["one_leg"] and dialog.state.probe is None
    events = dialog.handle("yes")
    assert answer(events, "one_leg").value == "yes" and asks(events)[0].question == "sign"
