"""Adaptive end of turn (issue 16): the opening waits longest, an answer less, an answer already
complete least; the windows come from the system file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from assistant.base.settings import TurnWindows
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, check_files
from assistant.voice.audio import AudioChunk
from assistant.voice.endpoint import EndpointConfig, EndpointDetector, TurnState
from assistant.voice.recognizer import listen
from assistant.voice.run import completes, embedded_recognizer, turn_config
from assistant.voice.wavinput import iter_wav_chunks

if TYPE_CHECKING:
    from tests.voice.conftest import Signals
    from tests.voice.speech import Synth


def ended_after(detector: EndpointDetector, samples: np.ndarray) -> float:
    """Milliseconds of silence after the speech when the detector ended the turn."""
    for start in range(0, samples.size, 320):
        if detector.feed(AudioChunk.from_samples(samples[start : start + 320], 16000)).done:
            break
    assert detector.state is TurnState.ENDED
    return detector.elapsed_ms - (detector.speech_end_ms or 0.0)


def test_a_complete_answer_ends_the_turn_after_the_shorter_silence(sig: Signals) -> None:
    speech = np.concatenate([sig.tone(0.6, -20, 220), np.zeros(32000, dtype=np.int16)])
    config = EndpointConfig(trailing_silence_ms=600, complete_silence_ms=400)
    waiting = EndpointDetector(config)
    assert ended_after(waiting, speech) == pytest.approx(600, abs=25)
    complete = EndpointDetector(config)
    complete.complete = True
    assert ended_after(complete, speech) == pytest.approx(400, abs=25)


def test_windows_by_what_is_expected() -> None:
    windows = TurnWindows(opening_ms=900, answer_ms=500, complete_ms=300)
    opening = turn_config(EndpointConfig(), windows, None)
    answer = turn_config(EndpointConfig(), windows, ["yes", "no"])
    assert (opening.trailing_silence_ms, answer.trailing_silence_ms, answer.complete_silence_ms) == (
        900,
        500,
        300,
    )
    assert completes(None) is None  # the opening is never "complete" early
    whole = completes(["not sure", "no", "the first one"])
    assert whole is not None
    assert whole("no") and whole("Not  Sure") and whole("the first one")
    assert not whole("not") and not whole("the first") and not whole("")


def test_the_windows_are_read_from_the_system_file(shipped_knowledge: Knowledge, tmp_path: Path) -> None:
    assert shipped_knowledge.system.turn_windows == TurnWindows(800, 600, 400)
    text = (SHIPPED_INTENTS / "system.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "system.yaml"
    bad.write_text(text.replace("complete_answer_silence_ms: 400", "complete_answer_silence_ms: 20"))
    _, problems = check_files([bad])
    (problem,) = [str(p) for p in problems if p.severity == "error"]
    assert (
        "system.yaml:" in problem and "complete_answer_silence_ms should be between 100 and 5000" in problem
    )
    bad.write_text(text.replace("complete_answer_silence_ms: 400", "complete_answer_silence_ms: 700"))
    _, problems = check_files([bad])
    assert any("complete_answer_silence_ms <= answer_silence_ms" in str(p) for p in problems)


@pytest.mark.voice
def test_a_spoken_no_is_answered_after_the_short_window(shipped_knowledge: Knowledge, synth: Synth) -> None:
    """Real speech, the real recognizer: "no" then 1.5 s of silence ends after the complete-answer
    window, and the words are the same as with the old fixed window."""
    recognizer = embedded_recognizer(shipped_knowledge)
    allowed = ["yes", "no", "not sure", "repeat", "stop"]
    windows = shipped_knowledge.system.turn_windows
    runs = (
        (turn_config(EndpointConfig(), windows, allowed), completes(allowed)),
        (EndpointConfig(trailing_silence_ms=800, complete_silence_ms=800), None),
    )
    heard, waited = [], []
    for config, is_complete in runs:
        recognizer.set_phrases(allowed)
        detector = EndpointDetector(config)
        chunks = [*iter_wav_chunks(synth("no")), AudioChunk.from_samples(np.zeros(24000, dtype=np.int16))]
        result = listen(chunks, recognizer, detector, is_complete=is_complete)
        heard.append(result.heard)
        waited.append(detector.elapsed_ms - (detector.speech_end_ms or 0.0))
    assert heard == ["no", "no"]
    assert waited[0] == pytest.approx(windows.complete_ms, abs=60)
    assert waited[1] == pytest.approx(800, abs=60)


@pytest.mark.voice
@pytest.mark.parametrize("said", ["absolutely not", "definitely not", "of course not"])
def test_negation_survives_the_grammar(shipped_knowledge: Knowledge, synth: Synth, said: str) -> None:
    """'absolutely' alone is a yes in the grammar; the whole phrase is listened for too, so the
    'not' is never dropped and a no is never taken as a yes."""
    from assistant.conversation.expectation import Expectation
    from assistant.understanding.phrases import answer_phrases
    from assistant.voice.vocabulary import expected_phrases

    question = shipped_knowledge.intents[0].questions[0]
    phrases = tuple(answer_phrases(question, shipped_knowledge.system, "yes_no"))
    allowed = expected_phrases(Expectation("yes_no", question.id, phrases))
    assert allowed is not None and said in allowed
    recognizer = embedded_recognizer(shipped_knowledge)
    recognizer.set_phrases(allowed)
    chunks = [*iter_wav_chunks(synth(said)), AudioChunk.from_samples(np.zeros(16000, dtype=np.int16))]
    heard = listen(chunks, recognizer, EndpointDetector(EndpointConfig())).heard
    assert shipped_knowledge.yes_no_parser.parse(heard) != "yes", heard
