"""British pronunciations beside CMUdict's American ones, heard for real: espeak-ng's British
voice saying emergencies and leg complaints at the opening, through the built-in recognizer with
and without them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.content.knowledge import Knowledge
from assistant.evaluation.spoken import Rendering, synthesize
from assistant.evaluation.utterances import load_corpus
from assistant.understanding.understand import OPENING
from assistant.voice.recognizer import Recognizer
from assistant.voice.vocabulary import speakable
from tests.support import ROOT
from tests.voice.test_alarm_hearing import heard_at_the_opening

pytestmark = [
    pytest.mark.voice,
    pytest.mark.skipif(
        shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="needs espeak-ng and sox"
    ),
]


def recognizer(knowledge: Knowledge, accents: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> Recognizer:
    sphinx_engine = pytest.importorskip("assistant.voice.sphinx_engine")
    from assistant.voice.run import embedded_recognizer

    monkeypatch.setattr(sphinx_engine, "ACCENTS", accents)
    return embedded_recognizer(knowledge)


def test_british_speech_is_heard_better_with_british_pronunciations(
    shipped_knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emergencies said as the opening (every other one of the corpus) by espeak-ng's British
    voice: acted on (at once or after one check question) more often with the British
    pronunciations. Measured: 25 of 43 against 22 (the spoken corpus, which has questions too and
    two speaking rates, shows more: see ACCENTS)."""
    corpus = load_corpus([ROOT / "evaluation" / "utterances" / "emergencies.yaml"])
    openings = [u for u in corpus if u.context == "opening" and u.expect == "emergency"][::2]
    wavs = [synthesize(u.text, Rendering("en-gb", 140), tmp_path) for u in openings]
    windows = shipped_knowledge.system.turn_windows
    understander = shipped_knowledge.understander
    acted_on = {}
    for accents in ((), ("en-gb",)):
        heard = recognizer(shipped_knowledge, accents, monkeypatch)
        count = 0
        for wav in wavs:
            t = heard_at_the_opening(heard, wav, windows)
            u = understander.understand_hypotheses(
                speakable(t.text), [speakable(h) for h in t.hypotheses], OPENING
            )
            count += u.meaning in ("emergency", "possible_emergency")
        acted_on[accents] = count
    print(f"British emergencies acted on: {acted_on[('en-gb',)]}/{len(wavs)} (without: {acted_on[()]})")
    assert acted_on[("en-gb",)] > acted_on[()]
