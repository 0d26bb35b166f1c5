"""The summary is written for a clinician (issue 14): third person, the site named, red flags with
their answers, plain labels, the rule behind the triage, the content version, and no internal ids."""

from __future__ import annotations

import random
import re
from datetime import datetime

import pytest

from assistant.base.events import Summary
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog

SCRIPTS = [
    ["my left calf is hot and swollen", "no", "no", "no", "no", "yes", "no", "yes", "no", "no", "no", "no"],
    ["both my feet burn at night", "no", "no", "no", "no", "no", "numb feet", "no", "no"],
    ["my right big toe is hot", "no", "no", "no", "no", "yes", "the fourth one", "no", "yes", "no"],
    ["my shin is warm", "no", "yes"],
]


def run(knowledge: Knowledge, lines: list[str]) -> str:
    dialog = Dialog(knowledge, Settings(summary_path="/dev/null"), clock=lambda: datetime(2026, 12, 3, 9, 30))
    dialog.start()
    events = []
    for line in lines:
        events += dialog.handle(line)
        if dialog.finished:
            break
    for _ in range(20):  # answer anything still asked with "no"
        if dialog.finished:
            break
        events += dialog.handle("no")
    (summary,) = [e for e in events if isinstance(e, Summary)]
    return summary.text


def internal_ids(knowledge: Knowledge) -> set[str]:
    ids = {i.id for i in knowledge.intents}
    for intent in knowledge.intents:
        ids |= (
            {q.id for q in intent.questions} | {c.id for c in intent.causes} | {s.id for s in intent.scores}
        )
        ids |= {c.id for q in intent.questions for c in q.choices}
        ids |= set(intent.sources)
    return {i for i in ids if "_" in i}  # ids that are also plain words ("knee", "none") are fine


@pytest.mark.parametrize("lines", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_no_internal_ids(shipped_knowledge: Knowledge, lines: list[str]) -> None:
    text = run(shipped_knowledge, lines)
    words = set(re.findall(r"[a-z][a-z0-9_]*", text))
    assert words & internal_ids(shipped_knowledge) == set(), text


def test_what_a_clinician_needs(shipped_knowledge: Knowledge) -> None:
    text = run(shipped_knowledge, SCRIPTS[0])
    intent = shipped_knowledge.intents[0]
    for expected in (
        "2026-12-03 09:30",
        f"(version {intent.version})",
        'In the person\'s words: "my left calf is hot and swollen"',
        "Site: left calf",
        "## Red flags asked",
        "Sudden breathlessness, pleuritic chest pain, haemoptysis or syncope since onset: no",
        "Unilateral: yes",
        "Level: Urgent: be seen today",
        "Why: the rule that applied:",
        "a clot in a leg vein called deep vein thrombosis",
        "nice.org.uk",
    ):
        assert expected in text, expected
    assert " you " not in text.split("## Triage")[0]  # third person until the advice given


def test_random_conversations_never_show_ids(shipped_knowledge: Knowledge) -> None:
    rng = random.Random(7)
    ids = internal_ids(shipped_knowledge)
    for _ in range(30):
        replies = [rng.choice(["yes", "no", "not sure", "the first one", "none"]) for _ in range(15)]
        text = run(shipped_knowledge, ["my calf feels hot", *replies])
        assert set(re.findall(r"[a-z][a-z0-9_]*", text)) & ids == set()
