"""Audio chunks, format conversion and WAV input."""

from __future__ import annotations

import subprocess
import wave
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from assistant.voice.audio import (
    AudioChunk,
    AudioFormatError,
    StreamConverter,
    mono_int16,
    rechunk,
    to_target,
)
from assistant.voice.wavinput import WavFileError, iter_wav_chunks, read_wav

if TYPE_CHECKING:
    from tests.voice.conftest import Signals


def dominant_frequency(samples: np.ndarray, rate: int = 16000) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.argmax(spectrum) * rate / samples.size)


def rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples.astype(np.float64) ** 2)) / 32768))


def stereo_22050_16bit(sig: Signals, path: Path) -> Path:
    left = sig.tone(1.5, -12, 440, 22050)
    right = np.zeros_like(left)
    return sig.write_wav(path, np.column_stack([left, right]).ravel(), 22050, 2, 2)


def mono_16k_8bit(sig: Signals, path: Path) -> Path:
    signed = sig.tone(1.5, -12, 440, 16000)
    return sig.write_wav(path, ((signed >> 8) + 128).astype(np.uint8), 16000, 1, 1)


def mono_44100_16bit(sig: Signals, path: Path) -> Path:
    return sig.write_wav(path, sig.tone(1.5, -12, 440, 44100), 44100, 2, 1)


def stereo_48000_24bit(sig: Signals, path: Path) -> Path:
    wide = sig.tone(1.5, -12, 440, 48000).astype(np.int32) << 8
    frames = np.column_stack([wide, wide]).ravel()
    packed = np.frombuffer(frames.astype("<i4").tobytes(), np.uint8).reshape(-1, 4)[:, :3]
    return sig.write_wav(path, packed.copy(), 48000, 3, 2)


def mono_8000_32bit(sig: Signals, path: Path) -> Path:
    return sig.write_wav(path, sig.tone(1.5, -12, 440, 8000).astype("<i4") << 16, 8000, 4, 1)


@pytest.mark.parametrize(
    ("make", "level_db"),
    [
        (stereo_22050_16bit, -18.0),  # right channel silent: the mix is 6 dB quieter
        (mono_16k_8bit, -12.0),
        (mono_44100_16bit, -12.0),
        (stereo_48000_24bit, -12.0),
        (mono_8000_32bit, -12.0),
    ],
)
def test_any_wav_becomes_16k_mono_int16_chunks(
    sig: Signals, tmp_path: Path, make: Callable[[Signals, Path], Path], level_db: float
) -> None:
    path = make(sig, tmp_path / "in.wav")
    chunks = list(iter_wav_chunks(path))
    assert all(c.sample_rate == 16000 and c.channels == 1 and c.sample_width == 2 for c in chunks)
    assert {c.frames for c in chunks[:-1]} == {1600}
    assert 0 < chunks[-1].frames <= 1600
    total = sum(c.frames for c in chunks)
    assert abs(total - 1.5 * 16000) <= 16  # duration kept within 1 ms
    samples = mono_int16(AudioChunk(b"".join(c.pcm for c in chunks), 16000))
    body = samples[1600:-1600]  # away from resampler edges
    assert dominant_frequency(body) == pytest.approx(440, abs=2)
    assert rms_db(body) == pytest.approx(level_db, abs=0.6)


def test_streamed_conversion_matches_one_shot(sig: Signals) -> None:
    native = sig.tone(2.0, -20, 300, 22050)
    whole = mono_int16(to_target(AudioChunk(native.tobytes(), 22050)))
    converter = StreamConverter()
    parts = [
        converter.convert(AudioChunk(native[i : i + 999].tobytes(), 22050)).pcm
        for i in range(0, native.size, 999)
    ]
    parts.append(converter.flush().pcm)
    streamed = np.frombuffer(b"".join(parts), dtype="<i2")
    assert abs(streamed.size - whole.size) <= 2
    n = min(streamed.size, whole.size) - 800
    # Same signal: the difference is tiny compared with the -20 dB tone.
    assert rms_db(streamed[800:n] - whole[800:n]) < -50


def test_espeak_speech_converted_keeps_its_length(synth: Callable[..., Path]) -> None:
    path = synth("my lower leg feels warm")
    audio = read_wav(path)
    with wave.open(str(path)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        assert wav.getframerate() == 22050
    assert audio.duration == pytest.approx(seconds, abs=0.002)
    assert rms_db(mono_int16(audio)) > -40  # speech, not silence


def test_sox_converted_speech_has_the_same_duration(tmp_path: Path, synth: Callable[..., Path]) -> None:
    source = synth("yes")
    stereo = tmp_path / "stereo44k_8bit.wav"
    subprocess.run(["sox", str(source), "-r", "44100", "-c", "2", "-b", "8", str(stereo)], check=True)
    assert read_wav(stereo).duration == pytest.approx(read_wav(source).duration, abs=0.003)


def test_chunk_rejects_partial_frames() -> None:
    with pytest.raises(AudioFormatError, match="whole number"):
        AudioChunk(b"\x00\x01\x02", 16000, 2, 1)
    with pytest.raises(AudioFormatError, match="sample width"):
        AudioChunk(b"", 16000, 5, 1)


def test_rechunk_regroups_exactly() -> None:
    pieces = [AudioChunk.from_samples(np.full(n, n, np.int16)) for n in (100, 2500, 37, 1600)]
    out = list(rechunk(pieces, 1600))
    assert [c.frames for c in out] == [1600, 1600, 1037]
    assert b"".join(c.pcm for c in out) == b"".join(c.pcm for c in pieces)


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.wav"
    with pytest.raises(WavFileError, match=r"nowhere\.wav.*no such file"):
        iter_wav_chunks(missing)


def test_non_wav_file_is_named(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio\n" * 10)
    with pytest.raises(WavFileError, match=r"notes\.wav.*not a PCM WAV"):
        iter_wav_chunks(text)


def test_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(WavFileError, match="directory"):
        iter_wav_chunks(tmp_path)
