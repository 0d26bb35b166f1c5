"""A new intent written only in YAML works end to end: text mode, check, test and the voice vocabulary."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from assistant.authoring.check import run_check
from assistant.authoring.conversation_tests import test_command as run_tests
from assistant.content.knowledge import default_intent_dirs, load_knowledge
from assistant.conversation.dialog import Dialog
from tests.support import run_assistant

HICCUPS = """\
intent: hiccups
title: hiccups that will not stop
description: Hiccups that go on and on.
phrases:
  - i have hiccups
  - i can't stop hiccuping
  - my hiccups won't go away
  - hiccups all day
  - constant hiccups
sources:
  nhs_hiccups:
    title: "NHS: Hiccups"
    url: https://www.nhs.uk/conditions/hiccups/
questions:
  - id: how_long
    kind: choice
    ask: How long have you had them? Minutes, hours, or more than two days?
    explain: Hiccups for more than two days should be checked by a doctor.
    choices:
      minutes: [minutes, a few minutes]
      hours: [hours, a few hours, since this morning]
      days: [more than two days, days, a week]
    sources: [nhs_hiccups]
causes:
  - id: swallowed_air
    name: swallowed air or a full stomach
    says: Eating fast, fizzy drinks and excitement set off hiccups.
    base: 1
    sources: [nhs_hiccups]
triage:
  - level: soon
    when: "how_long is days"
    say: See a doctor in the next few days, because hiccups for more than two days should be checked.
    safety_net: If you also have chest pain or trouble breathing, call {emergency_number}.
    sources: [nhs_hiccups]
  - level: self_care
    when: always
    say: Hiccups usually stop on their own within minutes. Sip cold water or hold your breath briefly.
    safety_net: See a doctor if they last more than two days.
    sources: [nhs_hiccups]
"""

CASES = """\
tests:
  - name: long hiccups are seen soon
    settings: {offer_summary: false}
    turns:
      - say: i can't stop hiccuping
        expect: {intent: hiccups, asks: how_long}
      - say: more than two days
        expect: {answer: days, triage: soon, says: hiccups for more than two days}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "my-intents"
    folder.mkdir()
    (folder / "hiccups.yaml").write_text(HICCUPS)
    return folder


def talk(home: Path, *args: str, lines: str, config: Path | None = None) -> list[dict[str, object]]:
    done = run_assistant(["--text", "--json", "--no-summary", *args], lines.encode(), home, config=config)
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in done.stdout.decode().splitlines()]


def assert_hiccups_conversation(events: list[dict[str, object]]) -> None:
    intents = [e for e in events if e["type"] == "intent"]
    asks = [e["question"] for e in events if e["type"] == "ask"]
    results = [e for e in events if e["type"] == "result"]
    assert intents and intents[0]["intent"] == "hiccups"
    assert "how_long" in asks
    assert results and results[0]["triage"] == "soon"
    assert "more than two days should be checked" in str(results[0]["text"])


def test_a_yaml_only_intent_works_with_intents_dir(tmp_path: Path, folder: Path) -> None:
    events = talk(tmp_path, "--intents", str(folder), lines="I can't stop hiccuping\nmore than two days\n")
    assert_hiccups_conversation(events)


def test_a_yaml_only_intent_works_from_the_user_config_folder(tmp_path: Path, folder: Path) -> None:
    config = tmp_path / "config"
    (config / "assistant").mkdir(parents=True)
    folder.rename(config / "assistant" / "intents")
    events = talk(tmp_path, config=config, lines="i have hiccups\ndays\n")
    assert_hiccups_conversation(events)


def test_check_and_test_pick_up_the_user_folder(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    user = config / "assistant" / "intents"
    user.parent.mkdir(parents=True)
    folder.rename(user)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    assert user in default_intent_dirs()
    report = run_check()
    assert [str(p) for p in report.errors] == []
    assert any("intent 'hiccups' has no conversation test" in p.message for p in report.warnings)
    (user / "tests").mkdir()
    (user / "tests" / "hiccups.yaml").write_text(CASES)
    assert not any("'hiccups' has no conversation test" in p.message for p in run_check().warnings)
    out = io.StringIO()
    assert run_tests(["-v"], out) == 0, out.getvalue()
    assert "ok   hiccups: long hiccups are seen soon" in out.getvalue()


def test_the_voice_vocabulary_knows_a_dropped_in_intent(folder: Path) -> None:
    vocabulary = pytest.importorskip("assistant.voice.vocabulary", reason="voice support is not installed")
    knowledge = load_knowledge([*default_intent_dirs(), folder])
    phrases = vocabulary.domain_phrases(knowledge)
    assert "i have hiccups" in phrases
    assert "more than two days" in phrases
    dialog = Dialog(knowledge)
    dialog.start()
    assert vocabulary.expected_phrases(dialog.expecting) is None  # the opening complaint is free
    dialog.handle("i have hiccups")
    expected = vocabulary.expected_phrases(dialog.expecting)
    assert expected is not None
    assert {"minutes", "a few hours", "more than two days"} <= set(expected)
