"""A recognizer's other hypotheses: an emergency in any of them is checked, a better intent match
at the opening wins, and an answer is never taken from them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.base.events import Ask, Event, IntentMatched, Result
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.understanding.understand import OPENING, Expecting
from tests.support import fixed_clock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dialog(shipped_knowledge: Knowledge) -> Dialog:
    d = Dialog(shipped_knowledge, Settings(offer_summary=False), clock=fixed_clock)
    d.start()
    return d


def asks(events: list[Event]) -> list[str]:
    return [e.question for e in events if isinstance(e, Ask)]


def test_a_better_intent_match_in_another_hypothesis_wins_at_the_opening(
    shipped_knowledge: Knowledge,
) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(
        "cannot feel hot", ["can not feel hot", "my calf feels hot"], OPENING
    )
    assert shipped_knowledge.understander.understand("cannot feel hot").meaning != "intent"
    assert u.meaning == "intent"
    assert u.top is not None and u.top.intent.id == "leg_warmth"
    assert u.heard.text == "my calf feels hot"


def test_a_confident_best_hearing_is_kept(shipped_knowledge: Knowledge) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(
        "my calf feels hot", ["my calf feels heart", "my calf feels blue"], OPENING
    )
    assert u.meaning == "intent" and u.heard.text == "my calf feels hot"


@pytest.mark.parametrize("best", ["", "icy can bring", "cannot feel want"])
def test_a_clear_emergency_in_another_hypothesis_becomes_a_possible_one(
    shipped_knowledge: Knowledge, best: str
) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(best, ["not sure", "i can't breathe"], OPENING)
    assert u.meaning == "possible_emergency"
    assert u.emergency is not None and not u.emergency.certain


def test_a_mere_hint_in_another_hypothesis_is_not_enough(shipped_knowledge: Knowledge) -> None:
    """'heart' for 'hot' in a second guess would ask one leg complaint in five about the chest."""
    u = shipped_knowledge.understander.understand_hypotheses(
        "cannot feel want", ["cannot feel heart"], OPENING
    )
    assert u.meaning != "possible_emergency" and u.emergency is None


@pytest.mark.parametrize("other", ["no", "nope", "not at all"])
def test_an_answer_is_never_taken_from_another_hypothesis(shipped_knowledge: Knowledge, other: str) -> None:
    u = shipped_knowledge.understander.understand_hypotheses("", [other], Expecting("yes_no"))
    assert u.answer is None


@pytest.mark.parametrize(
    ("others", "command"),
    [
        # Heard from espeak-ng speech: the free hearing, the opening model's, the grammar's.
        (["don't you repeat that", "could you repeat that", "repeat that"], "repeat"),
        (["stop asking the question", "stop asking me questions", "stop it"], "stop"),
        (["see you leg that", "see you later", "see you"], "goodbye"),
        (["go back of question", "go back"], "go_back"),
    ],
)
def test_at_a_question_a_command_two_hearings_agree_on_is_taken(
    shipped_knowledge: Knowledge, others: list[str], command: str
) -> None:
    u = shipped_knowledge.understander.understand_hypotheses("", others, Expecting("yes_no"))
    assert u.meaning == "command" and u.command == command


@pytest.mark.parametrize(
    ("best", "others", "expecting"),
    [
        ("", ["stop breathe", "what did you say"], Expecting("yes_no")),  # one hearing only
        ("", ["please stop", "stop it"], OPENING),  # one model's guesses, not two hearings
        ("not really", ["stop it", "please stop"], Expecting("yes_no")),  # the answer was heard
    ],
)
def test_a_command_in_one_hearing_or_beside_an_understood_one_is_not_taken(
    shipped_knowledge: Knowledge, best: str, others: list[str], expecting: Expecting
) -> None:
    u = shipped_knowledge.understander.understand_hypotheses(best, others, expecting)
    assert u.heard.text == best


def test_the_dialog_checks_an_emergency_only_another_hearing_had(dialog: Dialog) -> None:
    events = dialog.handle("", ["please get me an ambulance"])
    assert asks(events) == ["emergency_check"]
    events = dialog.handle("yes")
    results = [e for e in events if isinstance(e, Result)]
    assert results and results[0].triage == "emergency"


def test_no_to_the_check_goes_back_to_what_was_asked(dialog: Dialog) -> None:
    assert asks(dialog.handle("", ["please get me an ambulance"])) == ["emergency_check"]
    assert asks(dialog.handle("no")) == ["complaint"]
    events = dialog.handle("my calf feels hot")
    assert any(isinstance(e, IntentMatched) and e.intent == "leg_warmth" for e in events)


def test_at_a_question_an_emergency_heard_instead_of_the_answer_is_checked(dialog: Dialog) -> None:
    dialog.handle("my calf feels hot")
    question = dialog.pending
    assert question is not None and question.kind == "yes_no"
    assert asks(dialog.handle("", ["my chest is really tight"])) == ["emergency_check"]
    # "no": not an emergency, and nothing was understood as the answer: the question again.
    assert asks(dialog.handle("no")) == [question.question]


def test_json_input_takes_alternatives() -> None:
    lines = [
        json.dumps({"text": "", "alternatives": ["please get me an ambulance"]}),
        json.dumps({"text": "yes"}),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "--text", "--json", "--no-summary"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert any(e["type"] == "ask" and e["question"] == "emergency_check" for e in events)
    assert any(e["type"] == "result" and e["triage"] == "emergency" for e in events)


def test_json_alternatives_must_be_strings() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "--text", "--json", "--no-summary"],
        input=json.dumps({"text": "hello", "alternatives": "oops"}) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    errors = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{") and '"error"' in x]
    assert errors and "alternatives" in errors[0]["message"]


@pytest.mark.parametrize(
    ("hearing", "beyond"),
    [
        ("i think i'm choking", True),  # an emergency
        ("yes i can't breathe", True),
        ("can you repeat that", True),  # a command
        ("yes", False),
        ("oh", False),  # nothing understood is not more than an answer
        ("yes my leg is a bit red", False),
        ("", False),
    ],
)
def test_a_hearing_beyond_an_answer_holds_an_emergency_or_a_command(
    shipped_knowledge: Knowledge, hearing: str, beyond: bool
) -> None:
    """What the voice path's second hearing is checked with: a grammar's yes beside a free
    hearing of an emergency or a command does not stand (see assistant/voice/verify.py)."""
    assert shipped_knowledge.understander.beyond_answer(hearing) is beyond
