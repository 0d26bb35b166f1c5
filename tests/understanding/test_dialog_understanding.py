"""The dialog acting on what was understood: emergencies at any turn, checks, commands, repair."""

from __future__ import annotations

from typing import TypeVar

import pytest

from assistant.base.events import Answer, Ask, End, Event, IntentMatched, Result, Say
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from tests.support import fixed_clock, talk

E = TypeVar("E", bound=Event)


def of(events: list[Event], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


@pytest.fixture
def dialog(shipped_knowledge: Knowledge) -> Dialog:
    return Dialog(shipped_knowledge, Settings(offer_summary=False), clock=fixed_clock)


def triage(events: list[Event]) -> str | None:
    results = of(events, Result)
    return results[-1].triage if results else None


@pytest.mark.parametrize(
    "opening",
    [
        "my calf is hot and I'm gasping for air",
        "my foot is white and freezing and I can't feel it",
        "there's blood when I cough",
        "I keep passing out",
        "my mouth has gone blue",
        "please get me an ambulance",
        "my chest feels tight and heavy",
    ],
)
def test_an_emergency_at_the_opening_is_acted_on_at_once(dialog: Dialog, opening: str) -> None:
    events = talk(dialog, opening)
    assert triage(events) == "emergency"
    assert isinstance(events[-1], End) and not of(events[2:], Ask)


def test_an_emergency_mid_conversation_comes_before_the_answer(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is hot", "no", "no, but I'm struggling to breathe")
    assert triage(events) == "emergency" and dialog.finished


def test_an_emergency_at_its_own_red_flag_answers_it_and_names_causes(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is hot", "no", "yes, my foot went white and cold and I can hardly feel it")
    assert ("rf_limb", "yes") in [(a.question, a.value) for a in of(events, Answer)]
    assert of(events, Result)[-1].causes[0].id == "acute_limb_ischaemia"


def test_a_denied_symptom_is_an_answer(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is hot", "no chest pain and I'm not short of breath")
    assert [(a.question, a.value) for a in of(events, Answer)] == [("rf_lungs", "no")]
    assert not dialog.finished


def test_a_possible_emergency_is_checked_once(dialog: Dialog) -> None:
    events = talk(dialog, "I've had heartburn after a meal")
    check = of(events, Ask)[-1]
    assert check.question == "emergency_check" and "chest" in check.text
    events = dialog.handle("no")
    # Not an emergency: the opening is then understood as it was said (here: out of scope).
    assert of(events, Say)[0].role == "fallback" and not dialog.finished
    again = dialog.handle("heartburn again")
    assert all(a.question != "emergency_check" for a in of(again, Ask))


def test_a_possible_emergency_confirmed_is_an_emergency(dialog: Dialog) -> None:
    talk(dialog, "my heart feels a bit funny")
    assert triage(dialog.handle("yes")) == "emergency"


def test_no_stop_at_a_question_stops(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is hot", "no, stop")
    assert of(events, End)[-1].reason == "stopped"


def test_a_choice_answered_yes_is_asked_one_option_at_a_time(dialog: Dialog) -> None:
    talk(dialog, "my calf is hot", "no", "no", "no", "no", "yes")
    assert dialog.state.current == "sign"
    events = dialog.handle("yes")
    ask = of(events, Ask)[-1]
    assert ask.kind == "yes_no" and "red skin" in ask.text
    events = dialog.handle("no")
    assert "hard vein" in of(events, Ask)[-1].text
    events = dialog.handle("yes")
    assert ("sign", "vein") in [(a.question, a.value) for a in of(events, Answer)]


def test_a_red_flag_not_understood_three_times_is_assumed_urgent(dialog: Dialog) -> None:
    talk(dialog, "my calf is hot")
    first = dialog.handle("banana")
    assert of(first, Say)[0].role == "not_understood"
    second = dialog.handle("purple")
    assert "more simply" in of(second, Say)[0].text
    third = dialog.handle("ocean")
    assert triage(third) == "emergency"
    assert any("assume the answer is yes" in r.text for r in of(third, Result))
    assert of(third, Answer)[0].assumed


def test_a_compound_red_flag_is_asked_in_parts(dialog: Dialog) -> None:
    talk(dialog, "my calf is hot", "no", "banana")
    events = dialog.handle("purple")
    part = of(events, Ask)[-1].text
    assert part.startswith("Has your foot or leg suddenly gone cold") and "cast" not in part
    events = dialog.handle("no")
    assert of(events, Ask)[-1].text.startswith("Is the pain severe after an injury or under a cast")
    events = dialog.handle("no")
    assert ("rf_limb", "no") in [(a.question, a.value) for a in of(events, Answer)]


def test_an_ordinary_question_missed_three_times_is_taken_as_not_sure(dialog: Dialog) -> None:
    talk(dialog, "my calf is hot", "no", "no", "no")
    assert dialog.state.current == "injury"
    events = talk_more(dialog, "banana", "purple", "ocean")
    assert ("injury", "unsure") in [(a.question, a.value) for a in of(events, Answer)]
    assert any("not sure and move on" in s.text for s in of(events, Say))
    assert dialog.state.current != "injury"


def talk_more(dialog: Dialog, *lines: str) -> list[Event]:
    events: list[Event] = []
    for line in lines:
        events += dialog.handle(line)
    return events


def test_an_opening_out_of_scope_twice_ends_with_the_safety_net(dialog: Dialog) -> None:
    events = talk(dialog, "tell me a joke", "what's the weather like")
    assert dialog.finished
    assert "911" in of(events, Say)[-1].text and "doctor" in of(events, Say)[-1].text


def test_no_prompt_is_said_more_than_four_times(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is hot", *["say that again"] * 6)
    texts = [a.text for a in of(events, Ask)]
    assert max(texts.count(t) for t in texts) <= 4


def test_goodbye_in_everyday_words(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is hot", "ok bye then")
    assert of(events, End)[-1].reason == "stopped" and "Goodbye" in of(events, Say)[-1].text


def test_the_opening_match_is_kept(dialog: Dialog) -> None:
    events = talk(dialog, "my calf is hot")
    assert of(events, IntentMatched)[0].intent == "leg_warmth"
