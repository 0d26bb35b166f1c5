"""PocketSphinx English recognition on espeak-ng speech, through the WAV chunk path.

Measured by bench/voice_bench.py (4 espeak-ng voices): constrained mode 47/48 exact, free-form
domain LM 24/28 exact. The tests below use two voices and assert the accuracy measured here,
with a small margin.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed")

from rapidfuzz import fuzz

from assistant.voice.audio import AudioChunk
from assistant.voice.endpoint import TurnState
from assistant.voice.recognizer import Recognizer, listen
from assistant.voice.sphinx_engine import SphinxRecognizer
from assistant.voice.wavinput import iter_wav_chunks, read_wav
from tests.voice.speech import ANSWERS, STATEMENTS, Synth

pytestmark = pytest.mark.voice

DOMAIN = [*STATEMENTS, *ANSWERS, "what should i do", "help", "i don't know"]
VOICES = [("en-us", 140), ("en-us+m3", 170)]


@pytest.fixture(scope="module")
def sphinx() -> SphinxRecognizer:
    return SphinxRecognizer(DOMAIN)


def recognize(recognizer: SphinxRecognizer, wav: Path) -> str:
    result = listen(iter_wav_chunks(wav), recognizer)
    assert result.state is TurnState.ENDED
    return result.heard


def test_it_is_a_recognizer(sphinx: SphinxRecognizer) -> None:
    assert isinstance(sphinx, Recognizer)
    assert sphinx.name == "pocketsphinx"


@pytest.mark.parametrize("phrase", ANSWERS)
def test_constrained_answers(sphinx: SphinxRecognizer, synth: Synth, phrase: str) -> None:
    sphinx.set_phrases(ANSWERS)
    assert recognize(sphinx, synth(phrase)) == phrase


def test_constrained_accuracy_across_voices(sphinx: SphinxRecognizer, synth: Synth) -> None:
    sphinx.set_phrases(ANSWERS)
    cases = [(p, synth(p, v, s)) for p in ANSWERS for v, s in VOICES]
    heard = [(p, recognize(sphinx, wav)) for p, wav in cases]
    exact = sum(p == h for p, h in heard)
    # Measured: 10/10.
    assert exact >= 9, heard


def test_free_form_domain_lm(sphinx: SphinxRecognizer, synth: Synth) -> None:
    sphinx.set_phrases(None)
    cases = [(p, synth(p, v, s)) for p in STATEMENTS for v, s in VOICES]
    heard = [(p, recognize(sphinx, wav)) for p, wav in cases]
    exact = sum(p == h for p, h in heard)
    close = sum(fuzz.ratio(p, h) >= 80 for p, h in heard)
    # Measured: 10/12 exact, 10/12 within a ratio of 80. Both misses are "i have chest pain"
    # (heard as "i don't yes do"; even the full en-us LM hears "like that yes they do").
    assert exact >= 9, heard
    assert close >= 10, heard


def test_switching_modes_keeps_one_decoder(synth: Synth) -> None:
    recognizer = SphinxRecognizer(DOMAIN)
    decoder = recognizer._decoder
    for _ in range(2):
        recognizer.set_phrases(["yes", "no"])
        assert recognizer.search.startswith("phrases_")
        assert recognize(recognizer, synth("no")) == "no"
        recognizer.set_phrases(None)
        assert recognize(recognizer, synth("my calf is hot")) == "my calf is hot"
    assert recognizer._decoder is decoder
    # The same phrase set reuses its grammar search.
    assert len(recognizer._grammars) == 1


def test_grammar_forces_out_of_set_speech_onto_a_phrase(sphinx: SphinxRecognizer, synth: Synth) -> None:
    sphinx.set_phrases(["yes", "no"])
    assert recognize(sphinx, synth("not sure")) in {"yes", "no"}


def test_partial_results_grow_while_speaking(sphinx: SphinxRecognizer, synth: Synth) -> None:
    sphinx.set_phrases(None)
    partials = [sphinx.accept(chunk) for chunk in iter_wav_chunks(synth("my lower leg feels warm"))]
    final = sphinx.finish()
    shown = [p for p in partials if p]
    assert shown, "no partial result at all"
    assert len(shown[0].split()) < len(shown[-1].split())
    assert final.text == "my lower leg feels warm"
    assert final.engine == "pocketsphinx"


def test_native_rate_chunks_are_converted(sphinx: SphinxRecognizer, synth: Synth) -> None:
    import wave

    sphinx.set_phrases(ANSWERS)
    with wave.open(str(synth("repeat"))) as wav:
        rate = wav.getframerate()
        data = wav.readframes(wav.getnframes())
    step = rate // 10 * 2
    for start in range(0, len(data), step):
        sphinx.accept(AudioChunk(data[start : start + step], rate, 2, 1))
    assert sphinx.finish().text == "repeat"


def test_words_missing_from_the_dictionary_get_a_pronunciation(synth: Synth) -> None:
    """CMUdict has no "sternum", "wheezy" or "haemoptysis": espeak-ng's letter-to-sound rules
    spell them, so they can be heard rather than dropped."""
    recognizer = SphinxRecognizer(["yes", "no", "my sternum hurts"])
    recognizer.set_phrases(["yes", "no", "wheezy", "blorptastic"])
    assert recognizer.phrases == ("yes", "no", "wheezy", "blorptastic")
    assert recognize(recognizer, synth("wheezy")) == "wheezy"
    recognizer.set_phrases(["yes", "no", "my sternum hurts", "my leg hurts"])
    assert recognize(recognizer, synth("my sternum hurts", "en-us", 130)) == "my sternum hurts"


def test_a_misspelling_that_sounds_like_a_known_word_is_left_out(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="assistant.voice.sphinx_engine"):
        recognizer = SphinxRecognizer(["call an ambulance", "ambulence"])
        recognizer.set_phrases(["yes", "ambulence"])
    assert recognizer.phrases == ("yes",)
    assert "ambulence" in caplog.text


def test_phrase_words_outside_the_domain_are_looked_up(synth: Synth) -> None:
    recognizer = SphinxRecognizer(["my calf is hot"])
    recognizer.set_phrases(["maybe", "never"])
    assert recognize(recognizer, synth("never")) == "never"


def test_nothing_fed_gives_empty_transcript(sphinx: SphinxRecognizer) -> None:
    transcript = sphinx.finish()
    assert transcript.text == ""


def test_silence_gives_no_speech(sphinx: SphinxRecognizer) -> None:
    silence = [AudioChunk(b"\x00\x00" * 1600, 16000)] * 90
    result = listen(silence, sphinx)
    assert result.state is TurnState.NO_SPEECH
    assert result.heard == ""
    assert result.audio_seconds == pytest.approx(8.0, abs=0.11)


def test_whole_wav_as_one_chunk(sphinx: SphinxRecognizer, synth: Synth) -> None:
    sphinx.set_phrases(ANSWERS)
    sphinx.accept(read_wav(synth("stop")))
    assert sphinx.finish().text == "stop"


def test_a_second_look_at_audio_is_undone_exactly(synth: Synth) -> None:
    """The running cepstral mean after an opening and the answers A, B and C is the same whether
    or not A was heard a second time (and the state put back) in between: the second look leaves
    no trace. It differed before the mean was settled after each utterance."""

    def mean_after(second_look: bool) -> str:
        recognizer = SphinxRecognizer(DOMAIN)
        recognizer.set_phrases(None)
        recognize(recognizer, synth("my calf is hot"))
        recognizer.set_phrases(["yes", "no", "not really"])
        first = synth("not really", "en-us+m3", 160)
        recognize(recognizer, first)
        if second_look:
            state = recognizer.snapshot()
            recognizer.hear_freely()
            recognize(recognizer, first)
            assert recognizer.snapshot() != state  # the second look did move the mean
            recognizer.restore(state)
            recognizer.set_phrases(["yes", "no", "not really"])
        recognize(recognizer, synth("no", "en-us", 160))
        recognize(recognizer, synth("yes", "en-gb", 130))
        return recognizer.snapshot()

    assert mean_after(second_look=True) == mean_after(second_look=False)
