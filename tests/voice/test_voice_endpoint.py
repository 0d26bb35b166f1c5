"""Energy-based endpointing on synthetic and synthesized audio."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.voice.audio import AudioChunk, mono_int16
from assistant.voice.endpoint import EndpointConfig, EndpointDetector, TurnState
from assistant.voice.wavinput import read_wav
from tests.support import examples

if TYPE_CHECKING:
    from tests.voice.conftest import Signals


def chunks_of(samples: np.ndarray, frames: int = 1600, rate: int = 16000) -> Iterator[AudioChunk]:
    for start in range(0, samples.size, frames):
        yield AudioChunk.from_samples(samples[start : start + frames], rate)


def run(detector: EndpointDetector, samples: np.ndarray, frames: int = 1600) -> list[TurnState]:
    return [detector.feed(chunk) for chunk in chunks_of(samples, frames)]


def turn(sig: Signals, lead: float = 0.5, speech: float = 1.0, trail: float = 2.0) -> np.ndarray:
    """Background noise, a loud stretch, then background noise again."""
    total = lead + speech + trail
    samples = sig.noise(total, -60).astype(np.int32)
    start = round(lead * 16000)
    loud = sig.tone(speech, -20, 220)
    samples[start : start + loud.size] += loud
    return np.clip(samples, -32768, 32767).astype(np.int16)


def test_speech_then_silence_ends_after_trailing_silence(sig: Signals) -> None:
    detector = EndpointDetector()
    states = run(detector, turn(sig))
    assert states[0] is TurnState.WAITING
    assert TurnState.SPEAKING in states
    assert detector.state is TurnState.ENDED
    assert detector.speech_start_ms == pytest.approx(500, abs=30)
    assert detector.speech_end_ms == pytest.approx(1500, abs=30)
    # Ended 800 ms after the speech, within one analysis frame.
    assert detector.elapsed_ms == pytest.approx(1500 + 800, abs=30)
    # Once done, further audio changes nothing.
    assert detector.feed(AudioChunk.from_samples(sig.tone(1.0, -10))) is TurnState.ENDED


def test_silence_only_times_out(sig: Signals) -> None:
    detector = EndpointDetector()
    states = run(detector, sig.noise(10.0, -55))
    assert TurnState.SPEAKING not in states
    assert detector.state is TurnState.NO_SPEECH
    assert detector.elapsed_ms == pytest.approx(8000, abs=20)


def test_digital_silence_times_out_with_configured_timeout() -> None:
    detector = EndpointDetector(EndpointConfig(no_speech_timeout_ms=2000))
    run(detector, np.zeros(16000 * 3, np.int16))
    assert detector.state is TurnState.NO_SPEECH
    assert detector.elapsed_ms == pytest.approx(2000, abs=20)


def test_configured_trailing_silence(sig: Signals) -> None:
    detector = EndpointDetector(EndpointConfig(trailing_silence_ms=300))
    run(detector, turn(sig))
    assert detector.state is TurnState.ENDED
    assert detector.elapsed_ms == pytest.approx(1500 + 300, abs=30)


def test_a_pause_shorter_than_the_trailing_silence_does_not_end_the_turn(sig: Signals) -> None:
    gap = sig.noise(0.5, -60)
    samples = np.concatenate([sig.noise(0.3), sig.tone(0.6, -20), gap, sig.tone(0.6, -20), sig.noise(1.5)])
    detector = EndpointDetector()
    run(detector, samples)
    assert detector.state is TurnState.ENDED
    assert detector.speech_end_ms == pytest.approx(300 + 600 + 500 + 600, abs=30)


def test_a_click_is_not_speech(sig: Signals) -> None:
    samples = np.concatenate([sig.noise(1.0), sig.tone(0.04, -10), sig.noise(2.0)])
    detector = EndpointDetector(EndpointConfig(no_speech_timeout_ms=2500))
    states = run(detector, samples)
    assert TurnState.SPEAKING not in states
    assert detector.state is TurnState.NO_SPEECH


def test_speech_must_stand_out_from_the_noise_floor(sig: Signals) -> None:
    # Noise at -46 dBFS: a -40 dB sound is above the absolute threshold (-42) but only 6 dB
    # over the noise, so it is not speech; a -25 dB one is.
    base = sig.noise(5.0, -46).astype(np.int32)
    base[16000:32000] += sig.tone(1.0, -40, 150)
    base[40000:56000] += sig.tone(1.0, -25, 150)
    detector = EndpointDetector()
    run(detector, np.clip(base, -32768, 32767).astype(np.int16))
    assert detector.state is TurnState.ENDED
    assert detector.speech_start_ms == pytest.approx(2500, abs=30)


def test_a_turn_that_never_stops_is_cut(sig: Signals) -> None:
    detector = EndpointDetector(EndpointConfig(max_turn_ms=3000))
    run(detector, sig.tone(5.0, -20))
    assert detector.state is TurnState.ENDED
    assert detector.elapsed_ms == pytest.approx(3000, abs=30)


def test_works_on_native_rate_stereo_chunks(sig: Signals) -> None:
    mono = turn(sig, lead=0.5, speech=1.0, trail=1.0)
    # Same turn as a 44.1 kHz stereo stream in 0.05 s chunks.
    wide = np.repeat(mono, 3)[: round(mono.size * 44100 / 16000)]
    stereo = np.column_stack([wide, wide]).ravel()
    detector = EndpointDetector()
    frames = 2205
    for start in range(0, wide.size, frames):
        block = stereo[2 * start : 2 * (start + frames)]
        detector.feed(AudioChunk(block.astype("<i2").tobytes(), 44100, 2, 2))
    assert detector.state is TurnState.ENDED
    assert detector.speech_start_ms == pytest.approx(500, abs=40)


@settings(max_examples=examples(25), deadline=None)
@given(frames=st.integers(min_value=50, max_value=5000))
def test_result_does_not_depend_on_chunk_size(frames: int) -> None:
    rng = np.random.default_rng(1)
    samples = (rng.normal(0, 30, 16000 * 4)).astype(np.int16)
    samples[8000:24000] += (3000 * np.sin(np.arange(16000) / 5)).astype(np.int16)
    reference = EndpointDetector()
    run(reference, samples)
    detector = EndpointDetector()
    run(detector, samples, frames)
    assert detector.state is reference.state is TurnState.ENDED
    assert detector.speech_start_ms == reference.speech_start_ms
    assert detector.elapsed_ms == reference.elapsed_ms


def test_real_speech_padded_with_room_noise(sig: Signals, synth: Callable[..., Path]) -> None:
    speech = mono_int16(read_wav(synth("my calf is hot and swollen")))
    samples = np.concatenate([sig.noise(1.0, -58), speech, sig.noise(1.5, -58)])
    detector = EndpointDetector()
    run(detector, samples)
    assert detector.state is TurnState.ENDED
    # espeak-ng leaves some silence at the end of its file: find where the voice stops.
    voiced = np.flatnonzero(np.abs(speech) > 300)
    first_ms, last_ms = voiced[0] / 16, voiced[-1] / 16
    assert detector.speech_start_ms is not None
    assert detector.speech_end_ms is not None
    assert detector.speech_start_ms == pytest.approx(1000 + first_ms, abs=150)
    assert detector.speech_end_ms == pytest.approx(1000 + last_ms, abs=150)


def test_bad_config_is_rejected() -> None:
    with pytest.raises(ValueError, match="trailing_silence_ms"):
        EndpointConfig(trailing_silence_ms=0)
    with pytest.raises(ValueError, match="max_turn_ms"):
        EndpointConfig(trailing_silence_ms=900, max_turn_ms=500)
