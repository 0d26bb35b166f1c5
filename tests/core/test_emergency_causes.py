"""An emergency said before or between the questions names the causes that fit what was said."""

from __future__ import annotations

from assistant.base.events import Result
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from tests.support import fixed_clock, talk


def result_of(knowledge: Knowledge, *lines: str) -> Result:
    events = talk(Dialog(knowledge, Settings(offer_summary=False), clock=fixed_clock), *lines)
    results = [e for e in events if isinstance(e, Result)]
    assert len(results) == 1
    return results[0]


def test_a_leg_complaint_with_an_emergency_names_its_causes(shipped_knowledge: Knowledge) -> None:
    result = result_of(shipped_knowledge, "my calf is hot and I'm coughing up blood")
    assert result.triage == "emergency"
    assert result.text.startswith("Call 911 now")
    assert [c.id for c in result.causes][:1] == ["pulmonary_embolism"]
    assert result.sources


def test_an_emergency_between_the_questions_names_the_causes(shipped_knowledge: Knowledge) -> None:
    result = result_of(shipped_knowledge, "my lower leg feels warm", "my foot has gone white and ice cold")
    assert result.triage == "emergency"
    assert "acute_limb_ischaemia" in [c.id for c in result.causes]


def test_no_everyday_cause_is_named_for_an_emergency_no_red_flag_is_about(toy_knowledge: Knowledge) -> None:
    result = result_of(toy_knowledge, "my toe is blue and cold")
    assert result.triage == "emergency"
    assert result.causes == ()


def test_an_emergency_with_no_complaint_names_no_cause(shipped_knowledge: Knowledge) -> None:
    result = result_of(shipped_knowledge, "I can't breathe")
    assert result.triage == "emergency"
    assert result.causes == ()


def test_an_emergency_naming_a_part_of_the_leg_names_its_causes(shipped_knowledge: Knowledge) -> None:
    # No complaint matched ("cold", not warm), but the foot is the leg pack's, and so is the red flag.
    result = result_of(shipped_knowledge, "my foot is cold and blue and i cant move my toes")
    assert result.triage == "emergency"
    assert [c.id for c in result.causes][:1] == ["acute_limb_ischaemia"]


def test_an_emergency_names_what_else_was_said_in_passing(shipped_knowledge: Knowledge) -> None:
    # Red and hot names an infection beside the clot the fainting points to.
    result = result_of(shipped_knowledge, "my leg is red and hot and i keep nearly fainting")
    ids = [c.id for c in result.causes]
    assert ids[0] == "pulmonary_embolism" and "cellulitis" in ids


def test_an_emergency_never_names_a_cause_for_home_care(shipped_knowledge: Knowledge) -> None:
    for said in (
        "my shin was hot after running and now its in a cast and the pain is terrible",
        "my shin is hot and red after a wasp sting and my mum says im not making sense",
        "i got sunburnt on my calves and now i'm coughing up blood",
    ):
        result = result_of(shipped_knowledge, said)
        assert result.triage == "emergency", said
        intent = shipped_knowledge.intent("leg_warmth")
        assert intent is not None
        levels = {c.id: c.level for c in intent.causes}
        assert result.causes and all(levels[c.id] != "self_care" for c in result.causes), said
