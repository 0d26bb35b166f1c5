"""The labelled utterance corpus (evaluation/utterances/*.yaml): the targets of issue 9 hold."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from assistant.base.errors import IntentError
from assistant.content.knowledge import Knowledge
from assistant.evaluation.utterance_report import (
    OVERALL_FLOOR,
    YES_NO_FLOOR,
    UtteranceReport,
    corpus_files,
    evaluate_utterances,
    evaluate_utterances_command,
)
from assistant.evaluation.utterances import load_corpus
from assistant.understanding.vocabulary_source import vocabulary_source
from tests.support import ROOT

CORPUS = ROOT / "evaluation" / "utterances"


@pytest.fixture(scope="module")
def report(shipped_knowledge: Knowledge) -> UtteranceReport:
    return evaluate_utterances(corpus_files([CORPUS]), shipped_knowledge)


def test_the_corpus_is_large_and_varied(report: UtteranceReport) -> None:
    assert len(report.of(exact="emergency")) >= 100
    assert len(report.of(prefix="answer:")) >= 200
    assert len(report.of(exact="out_of_scope")) >= 60
    styles = {v.utterance.style for v in report.verdicts}
    assert {"plain", "elderly", "anxious", "terse", "non-native", "asr"} <= styles


def test_every_emergency_statement_is_caught(report: UtteranceReport) -> None:
    missed = [v.utterance.text for v in report.of(exact="emergency") if v.got != "emergency"]
    assert missed == []


def test_overall_and_answer_floors(report: UtteranceReport) -> None:
    assert report.overall >= OVERALL_FLOOR, report.to_text()
    assert report.yes_no >= YES_NO_FLOOR, report.to_text()


def test_leg_openings_rarely_need_a_did_you_mean(report: UtteranceReport) -> None:
    openings = report.of(exact="intent:leg_warmth")
    assert len(openings) >= 230
    assert report.confirm_share < 0.10, report.to_text()


def test_nothing_out_of_scope_is_taken_as_the_leg_symptom(report: UtteranceReport) -> None:
    assert [v.utterance.text for v in report.out_of_scope_taken] == []


def test_near_misses_are_not_emergencies(report: UtteranceReport) -> None:
    near = [v for v in report.verdicts if v.utterance.expect not in ("emergency", "possible_emergency")]
    assert [v.utterance.text for v in near if v.got == "emergency"] == []


def test_command_line_prints_json() -> None:
    out = io.StringIO()
    status = evaluate_utterances_command([str(CORPUS / "commands.yaml"), "--json"], out)
    data = json.loads(out.getvalue())
    assert data["utterances"] >= 60 and "command:repeat" in data["labels"]
    assert status in (0, 1)


def test_a_wrong_label_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('utterances:\n  - {text: "hi", context: opening, expect: "yes please"}\n')
    with pytest.raises(IntentError) as caught:
        load_corpus([bad])
    assert "bad.yaml:2:" in str(caught.value) and "expect is" in str(caught.value)


def test_the_vocabulary_source_lists_what_is_understood(shipped_knowledge: Knowledge) -> None:
    source = vocabulary_source(shipped_knowledge.system)
    assert set(source.emergencies) >= {"breathing", "chest_pain", "limb", "cast_pain"}
    assert "gasping" in source.emergencies["breathing"]
    assert "see ya" in source.commands["goodbye"] and "absolutely not" in source.answers["no"]
    assert source.spoken_forms["uh huh"] == "yes"
    words = source.words()
    assert {"ambulance", "breathe", "reckon", "first", "both"} <= set(words)
    # Everything listed is understood by the text path as what it is listed for.
    understand = shipped_knowledge.understander.understand
    assert all(understand(p).meaning == "command" for p in source.commands["stop"])
