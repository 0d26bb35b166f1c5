"""A word a recognizer hears for its negative ("i can breathe" for "I can't breathe"): what it
heard is checked for the emergency the negative would be, with one question; typed text is read as
written, and a question ("can you say that again") never is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.base.events import Ask, Event, IntentMatched
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.understanding.understand import OPENING, Expecting
from tests.support import fixed_clock

ROOT = Path(__file__).resolve().parents[2]

#: Recognizer hearings of emergencies said with "can't" or "couldn't", the negative lost.
HEARD_WITHOUT_THE_T = [
    "i can breathe",
    "i can breathe properly",
    "my leg is burning and i can breathe",
    "she can breathe",
    "can breathe",
    "i can stay awake",
    "he could breathe",
    "i could breathe last night and now my calf is hot",
]

#: Said with "can" or "could" and meaning it: no emergency on any reading.
PLAIN_CAN = [
    "can you say that again",
    "could you repeat the question",
    "can i go back",
    "can we start again",
    "i can walk but my calf is hot",
    "could it be a clot",
    "i can feel heat in my shin",
]


def expecting(knowledge: Knowledge, kind: str) -> Expecting:
    if kind == "open":
        return OPENING
    question = next(q for i in knowledge.intents for q in i.questions if q.kind == "yes_no")
    return Expecting("yes_no", question)


@pytest.mark.parametrize("kind", ["open", "yes_no"])
@pytest.mark.parametrize("heard", HEARD_WITHOUT_THE_T)
def test_a_heard_can_that_would_be_an_emergency_is_checked(
    shipped_knowledge: Knowledge, heard: str, kind: str
) -> None:
    understander = shipped_knowledge.understander
    asked = expecting(shipped_knowledge, kind)
    assert understander.understand(heard, asked).emergency is None  # as written: no emergency
    u = understander.understand_hypotheses(heard, [], asked, spoken=True)
    assert u.meaning == "possible_emergency"
    assert u.emergency is not None and not u.emergency.certain  # checked, never acted on blindly


@pytest.mark.parametrize("heard", HEARD_WITHOUT_THE_T[:4])
def test_typed_text_is_read_as_written(shipped_knowledge: Knowledge, heard: str) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(heard, [], OPENING)
    assert u.emergency is None


@pytest.mark.parametrize("heard", PLAIN_CAN)
def test_can_and_could_meant_as_said_raise_nothing(shipped_knowledge: Knowledge, heard: str) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(heard, [], OPENING, spoken=True)
    assert u.emergency is None


def test_it_is_found_in_another_hypothesis_when_the_best_heard_nothing(shipped_knowledge: Knowledge) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(
        "", ["toe breath", "i can breathe"], OPENING, spoken=True
    )
    assert u.meaning == "possible_emergency"
    assert u.heard.text == "i can breathe"


def test_a_certain_emergency_heard_as_such_stays_certain(shipped_knowledge: Knowledge) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(
        "i cannot breathe", ["i can breathe"], OPENING, spoken=True
    )
    assert u.meaning == "emergency"


def asks(events: list[Event]) -> list[str]:
    return [e.question for e in events if isinstance(e, Ask)]


def test_the_dialog_checks_it_then_goes_on_with_the_complaint(shipped_knowledge: Knowledge) -> None:
    dialog = Dialog(shipped_knowledge, Settings(offer_summary=False), clock=fixed_clock)
    dialog.start()
    check = dialog.handle("my leg is burning and i can breathe", spoken=True)
    assert asks(check) == ["emergency_check"]
    after = dialog.handle("no", spoken=True)
    assert any(isinstance(e, IntentMatched) and e.intent == "leg_warmth" for e in after)


def test_typed_in_the_dialog_the_complaint_is_taken_at_once(shipped_knowledge: Knowledge) -> None:
    dialog = Dialog(shipped_knowledge, Settings(offer_summary=False), clock=fixed_clock)
    dialog.start()
    events = dialog.handle("my leg is burning and i can breathe")
    assert "emergency_check" not in asks(events)
    assert any(isinstance(e, IntentMatched) and e.intent == "leg_warmth" for e in events)


def run_json(*lines: dict[str, object]) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "--text", "--json", "--no-summary"],
        input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    ("line", "checked"),
    [
        ({"text": "i can breathe", "spoken": True}, True),
        ({"text": "i can breathe", "alternatives": []}, True),  # a recognizer's: spoken by default
        ({"text": "i can breathe"}, False),
        ({"text": "i can breathe", "alternatives": [], "spoken": False}, False),
    ],
)
def test_json_input_says_whether_a_recognizer_heard_it(line: dict[str, object], checked: bool) -> None:
    events = run_json(line)
    questions = [e.get("question") for e in events if e.get("type") == "ask"]
    assert ("emergency_check" in questions) is checked


def test_json_spoken_must_be_true_or_false() -> None:
    events = run_json({"text": "i can breathe", "spoken": "yes"})
    errors = [e for e in events if e.get("type") == "error"]
    assert errors and '"spoken" is true or false' in str(errors[0].get("message"))
