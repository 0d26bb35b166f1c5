"""Whole conversations through the pure dialog, on the small toe-pain intent."""

from __future__ import annotations

from typing import TypeVar

from assistant.base.events import Answer, Ask, End, Event, IntentMatched, Result, Say, Summary
from tests.support import DialogFactory, talk

E = TypeVar("E", bound=Event)


def of(events: list[Event], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


def last_ask(events: list[Event]) -> Ask:
    return of(events, Ask)[-1]


def test_greeting_is_one_sentence_with_the_disclaimer(toy_dialog: DialogFactory) -> None:
    events = toy_dialog().start()
    greeting, ask = events
    assert isinstance(greeting, Say) and greeting.role == "disclaimer"
    assert "not a doctor" in greeting.text and "911" in greeting.text
    assert greeting.text.count(". ") <= 1
    assert isinstance(ask, Ask) and ask.kind == "open" and ask.question == "complaint"


def test_full_conversation_reaches_a_result(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    events = talk(d, "my big toe hurts", "no", "this morning", "yeah a bit", "sixty two", "no")
    (matched,) = of(events, IntentMatched)
    assert matched.intent == "toe_pain" and matched.score >= 80
    answers = [(a.question, a.value) for a in of(events, Answer)]
    assert answers == [
        ("fever", "no"),
        ("started", "today"),
        ("swollen", "yes"),
        ("age", 62),
        ("save_summary", "no"),
    ]
    (result,) = of(events, Result)
    assert result.triage == "urgent"
    assert [c.id for c in result.causes] == ["gout", "sprain"]
    assert result.text.startswith("See a doctor today.")
    assert result.text.endswith("If you get a fever, call 911.")  # the safety net comes last
    assert isinstance(events[-1], End) and events[-1].reason == "completed"
    assert d.finished


def test_every_wait_for_input_is_an_ask(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    for line in ["my big toe hurts", "purple", "no", "repeat", "today", "yes", "42"]:
        events = d.handle(line) if d.state.last_ask else d.start()
        if not d.finished:
            assert isinstance(events[-1], Ask)


def test_red_flag_yes_is_acted_on_at_once(toy_dialog: DialogFactory) -> None:
    events = talk(toy_dialog(), "my big toe hurts", "yes")
    (result,) = of(events, Result)
    assert result.triage == "emergency"
    assert result.text.startswith("Call 911 now.")
    assert result.causes[0].id == "septic_joint"
    # Nothing is asked after an emergency: the conversation ends.
    assert of(events[events.index(result) :], Ask) == []
    assert isinstance(events[-1], End)


def test_unsure_red_flag_is_asked_again_then_counted_as_yes(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    events = talk(d, "my big toe hurts", "I don't know")
    assert last_ask(events).question == "fever"
    assert of(events, Answer)[-1].value == "unsure"
    events = d.handle("not sure")
    answer = of(events, Answer)[0]
    assert answer.value == "yes" and answer.assumed
    (result,) = of(events, Result)
    assert result.triage == "emergency"
    assert result.text.startswith("Call 911 now.")  # the action first, the reason after


def test_emergency_number_setting_is_spoken(toy_dialog: DialogFactory) -> None:
    events = talk(toy_dialog(emergency_number="999"), "my big toe hurts", "yes")
    assert "999" in of(events, Result)[0].text
    assert "911" not in of(events, Result)[0].text


def test_global_emergency_phrase_at_any_point(toy_dialog: DialogFactory) -> None:
    events = talk(toy_dialog(), "my big toe hurts", "no", "I can't breathe")
    (result,) = of(events, Result)
    assert result.triage == "emergency" and "911" in result.text
    assert isinstance(events[-1], End)


def test_negated_emergency_phrase_is_an_answer(toy_dialog: DialogFactory) -> None:
    events = talk(toy_dialog(), "my big toe hurts", "no chest pain")
    assert of(events, Result) == []
    assert of(events, Answer)[-1].value == "no"


def test_go_back_undoes_the_last_answer(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    talk(d, "my big toe hurts", "no", "today")
    events = d.handle("go back")
    assert last_ask(events).question == "started"
    assert "started" not in d.state.answers
    events = d.handle("weeks ago")
    # "swollen" is only asked when it started recently, so the next question changes.
    assert last_ask(events).question == "age"


def test_go_back_at_the_first_question(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    talk(d, "my big toe hurts")
    events = d.handle("go back")
    assert any("nothing before" in e.text for e in of(events, Say))
    events = d.handle("go back")
    assert last_ask(events).question == "fever"


def test_repeat_help_and_explain(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    first = last_ask(talk(d, "my big toe hurts"))
    assert last_ask(d.handle("repeat")) == first
    help_events = d.handle("help")
    assert of(help_events, Say)[0].role == "help" and last_ask(help_events) == first
    explain = d.handle("what do you mean?")
    assert of(explain, Say)[0].text == "A hot joint with fever can be an infection in the joint."
    assert last_ask(explain) == first


def test_not_understood_reprompts_with_the_questions_own_reprompt(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    talk(d, "my big toe hurts", "no", "today")
    events = d.handle("banana")
    assert of(events, Say)[0].role == "not_understood"
    assert last_ask(events).text == "Is the big toe swollen? Yes or no?"


def test_choice_reprompt_lists_the_choices(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    talk(d, "my big toe hurts", "no")
    events = d.handle("purple")
    assert any("today, this week or longer ago" in e.text for e in of(events, Say))


def test_number_out_of_range(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    talk(d, "my big toe hurts", "no", "weeks ago")
    events = d.handle("two hundred")
    assert "from 0 to 120" in of(events, Say)[0].text
    assert last_ask(events).question == "age"


def test_vague_complaint_asks_did_you_mean(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    events = talk(d, "toe")
    ask = last_ask(events)
    assert ask.question == "confirm_intent" and "a painful big toe" in ask.text
    events = d.handle("yes")
    assert of(events, IntentMatched)[0].intent == "toe_pain"


def test_did_you_mean_no_goes_back_to_the_opening_question(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    events = talk(d, "toe", "no")
    assert of(events, Say)[-1].role == "fallback"
    assert last_ask(events).question == "complaint"


def test_unrelated_complaint_gets_the_fallback(toy_dialog: DialogFactory) -> None:
    events = talk(toy_dialog(), "what is the capital of france")
    fallback = of(events, Say)[-1]
    assert fallback.role == "fallback" and "a painful big toe" in fallback.text
    assert last_ask(events).question == "complaint"


def test_stop_ends_at_once(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    events = talk(d, "my big toe hurts", "stop")
    assert isinstance(events[-1], End) and events[-1].reason == "stopped"
    assert d.finished and d.handle("yes") == []


def test_silence_reprompts_once_then_ends(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    talk(d, "my big toe hurts")
    events = d.no_speech()
    assert last_ask(events).question == "fever"
    events = d.no_speech()
    assert isinstance(events[-1], End) and events[-1].reason == "no_response"
    assert "911" in of(events, Say)[0].text


def test_summary_when_asked(toy_dialog: DialogFactory) -> None:
    events = talk(toy_dialog(), "my big toe hurts", "no", "weeks ago", "30", "yes")
    (summary,) = of(events, Summary)
    assert summary.path is None
    text = summary.text
    for expected in (
        "2026-11-25 09:30",
        '"my big toe hurts"',
        "How old are you?: 30",
        "Self care",
        "a sprain",
        "NICE NG219",
    ):
        assert expected in text


def test_summary_path_setting_writes_without_asking(toy_dialog: DialogFactory) -> None:
    events = talk(toy_dialog(summary_path="/x/s.md"), "my big toe hurts", "no", "weeks ago", "30")
    assert of(events, Summary)[0].path == "/x/s.md"
    assert all(a.question != "save_summary" for a in of(events, Ask))
    assert isinstance(events[-1], End)


def test_end_of_input(toy_dialog: DialogFactory) -> None:
    d = toy_dialog()
    talk(d, "my big toe hurts")
    # The input ended at a question: the safety net (when to call for help) comes first.
    said, end = d.end_of_input()
    assert isinstance(said, Say) and "call 911" in said.text
    assert end == End("end_of_input")
    assert d.end_of_input() == []
    # At the opening, before any symptom, the input just ends.
    fresh = toy_dialog()
    fresh.start()
    assert fresh.end_of_input() == [End("end_of_input")]
