from __future__ import annotations

import pytest

from assistant.content.knowledge import Knowledge, load_knowledge
from tests.support import SYSTEM_FILE, TOY_INTENTS


@pytest.fixture(scope="module")
def both(shipped_knowledge: Knowledge) -> Knowledge:
    """The shipped content plus the toy intent, so the matcher has to choose."""
    del shipped_knowledge
    from assistant.content.knowledge import SHIPPED_INTENTS

    return load_knowledge([SHIPPED_INTENTS, TOY_INTENTS])


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("my lower leg feels warm", "leg_warmth"),
        ("My calf feels hot.", "leg_warmth"),
        ("my cath feels hot", "leg_warmth"),  # a recognition slip
        ("I have a burning feeling in my shin", "leg_warmth"),
        ("my big toe hurts", "toe_pain"),
        ("my big tow hurts", "toe_pain"),  # a synonym from the intent file
    ],
)
def test_accepts_clear_matches(both: Knowledge, said: str, intent: str) -> None:
    best = both.matcher.match(said)[0]
    assert best.intent.id == intent
    assert best.score >= both.system.accept_score


@pytest.mark.parametrize("said", ["my calf", "my leg", "burning feeling"])
def test_vague_utterances_fall_in_the_confirm_band(both: Knowledge, said: str) -> None:
    best = both.matcher.match(said)[0]
    assert best.intent.id == "leg_warmth"
    assert both.system.confirm_score <= best.score < both.system.accept_score


@pytest.mark.parametrize("said", ["the weather is nice", "what is the capital of france", "I feel sick", ""])
def test_unrelated_utterances_fall_below_the_confirm_band(both: Knowledge, said: str) -> None:
    matches = both.matcher.match(said)
    assert not matches or matches[0].score < both.system.confirm_score


@pytest.mark.parametrize(
    ("said", "concept"),
    [
        ("I have chest pain", "chest_pain"),
        ("I can't breathe", "breathing"),
        ("help, I think I'm having a heart attack", "chest_pain"),
        ("I'm not sure but I have chest pain", "chest_pain"),
        ("I am not coughing up blood", None),
        ("no chest pain", None),
        ("I don't have chest pain", None),
        ("not coughing up blood", None),
        ("chest", None),  # only a hint: a possible emergency, asked about once
    ],
)
def test_emergencies_respect_negation(toy_knowledge: Knowledge, said: str, concept: str | None) -> None:
    found = toy_knowledge.emergencies.detect(toy_knowledge.understander.hearing.hear(said).clauses)
    assert (found.concept.id if found is not None and found.certain else None) == concept


@pytest.mark.parametrize(
    ("said", "command"),
    [
        ("stop", "stop"),
        ("Stop!", "stop"),
        ("repeat that", "repeat"),
        ("go back", "go_back"),
        ("what do you mean?", "explain"),
        ("help", "help"),
        ("hello", "greeting"),
        ("goodbye", "goodbye"),
        ("the pain doesn't stop", None),  # a command inside a sentence is not a command
        ("yes", None),
    ],
)
def test_commands_are_whole_utterances(toy_knowledge: Knowledge, said: str, command: str | None) -> None:
    assert toy_knowledge.commands.command(said) == command


def test_system_file_alone_has_no_intents() -> None:
    k = load_knowledge([SYSTEM_FILE])
    assert k.intents == ()
    assert k.matcher.match("my calf is hot") == []


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("my bog toe hurts", "toe_pain"),  # one short word slipped, the rest intact: accepted
        ("my big tie hurts", "toe_pain"),
    ],
)
def test_short_word_slips_are_mapped_back(both: Knowledge, said: str, intent: str) -> None:
    best = both.matcher.match(said)[0]
    assert (best.intent.id, best.score >= both.system.accept_score) == (intent, True)


@pytest.mark.parametrize("said", ["the log is hot", "my tie is hot", "my lag hurts"])
def test_a_short_slip_alone_is_only_ever_a_did_you_mean(both: Knowledge, said: str) -> None:
    best = both.matcher.match(said)[0]
    assert best.intent.id == "leg_warmth"
    assert both.system.confirm_score <= best.score < both.system.accept_score


def test_short_slips_are_vowels_and_silent_letters_and_never_ambiguous(both: Knowledge) -> None:
    similar = both.matcher._similar(["got", "nee", "lag", "bat"])
    assert similar["got"] == {}  # a consonant changed makes another word: not "hot"
    assert "knee" in similar["nee"]  # a silent letter left out
    assert set(similar["lag"]) == {"leg"}
    # The similarity is shared out among look-alikes, and a slip never counts as much as the word.
    assert all(0 < s < 1 for found in similar.values() for s in found.values())
