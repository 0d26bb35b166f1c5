"""What a negation, the past and a plea for help do to an emergency said in a person's own words.

Each case names a class of wording, not one sentence: a negation that does not deny the symptom
(its end, "not just", a comparison, a negated manner, an answer before a new clause), the past said
with a year or as a past event, emergency numbers round the world and the configured one, words a
recognizer split, and a plea for help said with an everyday complaint.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from assistant.base.events import Ask, Event, Result
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge, check_files
from assistant.conversation.dialog import Dialog
from assistant.understanding.understand import OPENING, Expecting
from tests.support import SYSTEM_FILE, TOY_INTENTS, fixed_clock

RED_FLAG = Expecting("yes_no")


def meaning(knowledge: Knowledge, text: str, expecting: Expecting = OPENING) -> str:
    return knowledge.understander.understand(text, expecting).meaning


def emergency_meaning(knowledge: Knowledge, text: str, expecting: Expecting = OPENING) -> str | None:
    """ "emergency" or "possible_emergency" when an emergency was found; None when none was."""
    understood = knowledge.understander.understand(text, expecting)
    return understood.meaning if understood.emergency else None


@pytest.mark.parametrize(
    "said",
    [
        # the negation denies the symptom's end
        "my chest won't stop hurting",
        "it never stops hurting in my chest",
        "my chest pain is not going away",
        "the pain in my chest won't ease off",
        "my chest hasn't stopped aching all day",
        # ... says there is more than that
        "my chest doesn't just hurt, it's crushing",
        "my chest isn't only sore, it's tight as well",
        # ... compares
        "I've never had chest pain like this",
        "nothing has ever hurt my chest like this",
        "I have not had pain this bad in my chest",
        # ... denies a manner, which is the symptom
        "I'm not breathing properly",
        "im not breathing right",
        "I'm not getting enough air",
        "my breathing isn't normal",
        "I can breathe but not properly",
        "I can breathe but only just",
        # ... belongs to the "can" after "think"
        "i dont think i can breathe",
        "I don't feel like I can breathe",
        # ... is an answer before a new clause
        "no, it's my chest, it really hurts",
        "nope, I can't breathe",
        "no i am gasping for air",
        "No, the pain is in my chest",
        "no the pain's in my chest",
        "nah, a crushing pain in my chest",
        "nah the pain's right in the middle of my chest",  # "right" before a place is no manner
    ],
)
def test_a_negation_that_does_not_deny_the_symptom_leaves_it_an_emergency(
    shipped_knowledge: Knowledge, said: str
) -> None:
    assert meaning(shipped_knowledge, said, RED_FLAG) == "emergency"
    assert meaning(shipped_knowledge, said) == "emergency"


@pytest.mark.parametrize(
    "said",
    [
        "no chest pain",
        "no chest pain right now",
        "I don't have any chest pain",
        "my chest doesn't hurt",
        "I'm not short of breath",
        "not breathless as well",
        "no trouble breathing at all",
        "nope no chest pain",
        "no, my breathing is fine",
        "no I'm breathing fine",
        "no my chest is ok",
        "I don't think I have chest pain",
        "I'm not going to pass out",
        "never fainted in my life",
        "I haven't coughed up any blood",
        "no chest pain or anything like that",
        "no the breathing is fine",
        "no, a bit of a cough but no blood",
        "no, the leg is just warm",
    ],
)
def test_a_denial_is_still_a_denial(shipped_knowledge: Knowledge, said: str) -> None:
    understood = shipped_knowledge.understander.understand(said, RED_FLAG)
    assert understood.meaning == "answer" and understood.answer == "no"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I had a heart attack back in 2015", "out_of_scope"),
        ("I fainted once in 2019", "out_of_scope"),
        ("I had a heart attack a decade ago", "out_of_scope"),
        ("I had chest pain decades ago", "out_of_scope"),
        ("I'm on tablets after my heart attack", "out_of_scope"),
        ("since my heart attack in 2018 I take aspirin", "out_of_scope"),
        ("I had a heart attack years ago, now I'm on tablets", "out_of_scope"),
        # now, an hour ago, this morning, and what came back: emergencies
        ("I fainted this morning", "emergency"),
        ("I had chest pain an hour ago", "emergency"),
        ("I had a heart attack years ago and now I have chest pain", "emergency"),
        ("I had a heart attack in 2015 and my chest hurts now", "emergency"),
        ("I had chest pain years ago and it is back", "emergency"),
        ("I fainted years ago and again today", "emergency"),
        ("since my heart attack I get chest pain when I walk", "emergency"),
    ],
)
def test_the_long_past_is_told_from_now(shipped_knowledge: Knowledge, said: str, expected: str) -> None:
    got = meaning(shipped_knowledge, said)
    assert (got if got == "emergency" else "out_of_scope") == expected, got


def test_a_year_is_long_past_only_before_this_one(shipped_knowledge: Knowledge) -> None:
    this_year = datetime.date.today().year
    assert meaning(shipped_knowledge, f"I fainted in {this_year - 1}") != "emergency"
    assert meaning(shipped_knowledge, f"I fainted in {this_year}") == "emergency"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I need help", "possible_emergency"),
        ("please, I need help", "possible_emergency"),
        ("I need help now", "emergency"),
        ("I need help, I can't breathe", "emergency"),
        ("I need an ambulance", "emergency"),
        ("I need help, my ankle is warm and swollen", "intent"),
        ("i need help my calf is hot", "intent"),
    ],
)
def test_a_plea_for_help_counts_on_its_own_not_with_an_everyday_complaint(
    shipped_knowledge: Knowledge, said: str, expected: str
) -> None:
    assert meaning(shipped_knowledge, said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "ring triple zero",
        "call 000",
        "dial 112",
        "call one oh eight",
        "call 102 please",
        "call 119",
        "ring nine nine nine",
        "dial nine one one",
        "someone call nine double nine",
        "call an amber lance",
        "get me an am bulance",
        "i need a para medic",
        "get the ambos",
    ],
)
def test_emergency_numbers_round_the_world_and_split_words(shipped_knowledge: Knowledge, said: str) -> None:
    assert meaning(shipped_knowledge, said) == "emergency"


def test_a_code_is_read_digit_by_digit_not_summed(shipped_knowledge: Knowledge) -> None:
    # "one one two" once read as 4, so "get four hours" was a call for an ambulance.
    assert meaning(shipped_knowledge, "I get four hours of sleep") != "emergency"


def _events(dialog: Dialog, *said: str) -> list[Event]:
    events = dialog.start()
    for text in said:
        events += dialog.handle(text)
    return events


def test_the_configured_emergency_number_is_understood(shipped_knowledge: Knowledge) -> None:
    # 15 (France) is in no list: understood only where it is the number the person is told.
    assert meaning(shipped_knowledge, "call 15") != "emergency"
    settings = Settings(emergency_number="15", offer_summary=False)
    dialog = Dialog(shipped_knowledge, settings, clock=fixed_clock)
    events = _events(dialog, "call fifteen now")
    assert [e.triage for e in events if isinstance(e, Result)] == ["emergency"]
    assert not [e for e in events[2:] if isinstance(e, Ask)]


def test_the_system_files_own_number_is_understood(tmp_path: Path) -> None:
    path = tmp_path / "system.yaml"
    path.write_text(SYSTEM_FILE.read_text().replace('emergency_number: "911"', 'emergency_number: "15"', 1))
    knowledge, problems = check_files([path, TOY_INTENTS])
    assert knowledge is not None, problems
    assert meaning(knowledge, "call 15") == "emergency"


@pytest.mark.parametrize(
    "said",
    [
        "I keep keeling over",
        "I am getting giddiness and fell down",
        "felt dizzy and fell over",
        "I came over all faint and had to sit down",
        "I did faint yesterday",
        "chest is paining",
        "me chest is killing me",
        "my heart feels like it's being squeezed",
        "i think im having a hart attack",
        "pain in my upper back when I take a deep breath",
        "there's no air getting in",
        "I fell and I can't get up",
    ],
)
def test_clear_emergencies_in_other_words_are_certain(shipped_knowledge: Knowledge, said: str) -> None:
    assert meaning(shipped_knowledge, said) == "emergency"


@pytest.mark.parametrize(
    "said",
    [
        "my dad had a heart attack",
        "my heart skipped a beat when I saw the bill",
        "I'm dying to know what this is",
        "this heat is killing me",
        "it took my breath away",
    ],
)
def test_near_misses_are_no_emergency(shipped_knowledge: Knowledge, said: str) -> None:
    assert meaning(shipped_knowledge, said) not in ("emergency", "possible_emergency")


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # Where a heart attack's pain spreads, without the chest: one check question.
        ("my jaw and arm hurt and I feel sick", "possible_emergency"),
        ("pain in my left arm and jaw", "possible_emergency"),
        ("i have pain down my left arm", "possible_emergency"),
        ("my neck and jaw are aching", "possible_emergency"),
        # One of them alone is no hint.
        ("my jaw hurts", None),
        ("I broke my arm", None),
        ("my arm is warm", None),
    ],
)
def test_pain_where_a_heart_attack_spreads_is_checked(
    shipped_knowledge: Knowledge, said: str, expected: str | None
) -> None:
    assert emergency_meaning(shipped_knowledge, said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # A carer's story: how things were, then what is happening now.
        ("he was fine and then he keeled over", "emergency"),
        ("mum was okay at lunch, now she's fighting for breath", "emergency"),
        ("my husband had chest pain today", "emergency"),
        ("alright so my chest feels really tight", "emergency"),
        # Someone else's past stays out of scope; a reassurance said of the symptom denies it.
        ("my sister had a blood clot in her lung years ago", None),
        ("my neighbour collapsed at church last month", None),
        ("my wife had a heart attack, she's fine now", None),
        # Not answering, not making sense: unresponsive or confused.
        ("my dad is grey and not answering me", "emergency"),
        ("she isn't making any sense and she's very hot", "emergency"),
        ("he doesn't know where he is", "emergency"),
        # ... but not a phone, a door or the questions.
        ("my son isn't answering his phone", None),
        ("I'm not answering any more questions", None),
        # Misspelt "breathe".
        ("i can hardly breeth", "emergency"),
        ("she cant breethe properly", "emergency"),
    ],
)
def test_stories_of_now_unresponsiveness_and_misspelt_breathing(
    shipped_knowledge: Knowledge, said: str, expected: str | None
) -> None:
    assert emergency_meaning(shipped_knowledge, said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("the red patch is spreading by the hour and the pain is excruciating", "emergency"),
        ("no, but the redness is spreading really fast and it's agony", "emergency"),
        ("the redness is spreading quickly up my leg", "possible_emergency"),
        ("the news is spreading fast", None),
    ],
)
def test_redness_spreading_fast_with_severe_pain_is_an_emergency(
    shipped_knowledge: Knowledge, said: str, expected: str | None
) -> None:
    """Necrotising infection: redness spreading by the hour with pain far worse than it looks."""
    for expecting in (OPENING, RED_FLAG):
        assert emergency_meaning(shipped_knowledge, said, expecting) == expected


@pytest.mark.parametrize(
    "said",
    ["the pain under my cast is way worse than it should be", "my plaster cast hurts far worse than it did"],
)
def test_pain_out_of_proportion_under_a_cast_is_an_emergency(shipped_knowledge: Knowledge, said: str) -> None:
    """Compartment syndrome: pain under a cast far worse than it should be."""
    assert meaning(shipped_knowledge, said) == "emergency"
